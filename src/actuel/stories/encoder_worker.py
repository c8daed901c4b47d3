"""The encoder's worker process: batches of texts on standard input, their embeddings on output.

`python -m actuel.stories.encoder_worker` runs the USE forward pass for `ProcessEncoder`. A plain
child process with pipes rather than `multiprocessing`: its start methods other than fork import
the caller's main script again in the child, which runs an unguarded script a second time, and
forking a process that already has threads is unsafe. Frames: a 4-byte big-endian length, then a
JSON list of strings; the answer is a length, one status byte (0 = rows of float32, 1 = an error
message in UTF-8), then the payload. The worker stops at the end of its input.
"""

from __future__ import annotations

import json
import struct
import sys
from typing import IO

HEADER = struct.Struct(">I")
OK, FAILED = 0, 1


def write_frame(stream: IO[bytes], payload: bytes) -> None:
    stream.write(HEADER.pack(len(payload)) + payload)
    stream.flush()


def read_frame(stream: IO[bytes]) -> bytes | None:
    """One frame's payload, or None at the end of the stream."""
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    payload = stream.read(size)
    if len(payload) < size:
        return None
    return payload


def serve(source: IO[bytes], sink: IO[bytes]) -> None:
    """Answer frames until `source` ends."""
    from actuel.stories.encoder import USEEncoder, single_threaded_blas

    single_threaded_blas()
    model = USEEncoder()
    while (request := read_frame(source)) is not None:
        try:
            texts = json.loads(request.decode("utf-8"))
            rows = model.encode([str(t) for t in texts])
            answer = bytes([OK]) + rows.astype("<f4").tobytes()
        except Exception as exc:  # the caller embeds the batch itself and says why
            answer = bytes([FAILED]) + f"{type(exc).__name__}: {exc}".encode()
        write_frame(sink, answer)


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
