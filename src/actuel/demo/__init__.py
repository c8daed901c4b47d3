"""The demo world: fictional outlets and stories, rendered in memory and served on loopback.

`actuel.demo.server.DemoWorld` plays it; `python -m actuel.demo.build` checks the corpus and
rewrites manifest.json, the truth (who reported first, who copied whom) tests and benchmarks use.
"""
