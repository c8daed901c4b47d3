"""Run the command line as `python -m actuel`."""

from actuel.cli import main

if __name__ == "__main__":  # extraction worker processes import this module too
    main()
