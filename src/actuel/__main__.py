"""Run the command line as `python -m actuel`."""

from actuel.cli import main

main()
