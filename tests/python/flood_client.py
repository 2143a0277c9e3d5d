"""A grpcio client that sends small messages as fast as it can, as real clients do (issue 13).

Each scenario prints one line `ok <scenario> <figures>` and exits 0, or prints why it failed and exits 1:
- record N:        RecordRoute with N points, the smallest messages there are (10 bytes each); checks point_count;
- chat N:          RouteChat with N notes (about 110 bytes each) on one call, reading the answers only after a
                   pause and then slowly, so that the handler lags behind its output; checks the answers' count;
- chat-many K N:   K RouteChat calls of N notes each at once on one channel (one connection); checks every count;
- headers-wait:    RouteChat whose first answer comes only after several notes, waiting for the response headers.

The server must run with --notes-per-location 1, so that a note is answered by exactly the one before it at its
place. Notes cycle over 7 places: note i (from 0) is answered once when i >= 7, so a call of N notes gets N - 7
answers.

Usage: flood_client.py --addr HOST:PORT SCENARIO ARGS...
Needs hello_pb2 and hello_pb2_grpc on PYTHONPATH.
"""

import argparse
import random
import sys
import threading
import time

import grpc

from hello_pb2 import Point, RouteNote, RouteSummary
from hello_pb2_grpc import HelloStub

PLACES = 7
# Places of this run only: notes kept from an earlier run at the same places would be answered too.
RUN = random.uniform(-50.0, 50.0)
TEXT = "x" * 90  # with the location and framing, a note of about 110 bytes on the wire
DEADLINE_S = 300  # a hang guard, not a timing assertion


def points(n):
    # Serialized once: the client's own protobuf work would be what limits the rate, not the server.
    # Non-zero coordinates, so that both fields are on the wire: 10 bytes, 15 with gRPC's prefix.
    point = Point(latitude=1.0, longitude=2.0).SerializeToString()
    for _ in range(n):
        yield point


def notes(n, tag):
    for i in range(n):
        place = i % PLACES
        yield RouteNote(location=Point(latitude=RUN + place * 0.01, longitude=20.0 + tag), message="%s %d" % (TEXT, i))


def record(channel, n):
    call = channel.stream_unary(
        "/hello.Hello/RecordRoute",
        request_serializer=None,
        response_deserializer=RouteSummary.FromString,
    )
    summary = call(points(n), timeout=DEADLINE_S)
    if summary.point_count != n:
        raise AssertionError("point_count %d, want %d" % (summary.point_count, n))
    return "points=%d" % n


def chat(stub, n, tag=0, pause=1.0):
    answers = stub.RouteChat(notes(n, tag), timeout=DEADLINE_S)
    # Let the client send everything it can while nobody reads: the server's handler falls behind its output.
    time.sleep(pause)
    count = 0
    for _ in answers:
        count += 1
        if count % 1000 == 0:
            time.sleep(0.01)  # and stay a slow reader
    want = max(n - PLACES, 0)
    if count != want:
        raise AssertionError("call %d: %d answers, want %d" % (tag, count, want))
    return count


def headers_wait(stub):
    """RouteChat whose first answer comes only after several notes: five notes at five new places (nothing to
    answer), a pause, then one at the first place, answered by the first note. grpcio must get the response
    headers (initial metadata) and that one answer."""

    def notes_then_pause():
        for p in range(5):
            yield RouteNote(location=Point(latitude=RUN + p * 0.01, longitude=33.0), message="first" if p == 0 else "n%d" % p)
        time.sleep(0.2)
        yield RouteNote(location=Point(latitude=RUN, longitude=33.0), message="second")

    call = stub.RouteChat(notes_then_pause(), timeout=DEADLINE_S)
    call.initial_metadata()  # waits for the response headers
    answers = [n.message for n in call]
    if answers != ["first"]:
        raise AssertionError("answers %r, want ['first']" % answers)
    return "answers=1"


def chat_many(channel, k, n):
    stub = HelloStub(channel)
    errors = []
    counts = [0] * k

    def one(tag):
        try:
            counts[tag] = chat(stub, n, tag=tag, pause=0.5)
        except grpc.RpcError as e:  # report every call's failure, not just the first
            errors.append("call %d: %s %s" % (tag, e.code(), e.details()))
        except AssertionError as e:
            errors.append(str(e))

    threads = [threading.Thread(target=one, args=(t,)) for t in range(k)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise AssertionError("; ".join(errors))
    return "calls=%d answers=%d" % (k, sum(counts))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--addr", required=True)
    parser.add_argument("scenario", choices=["record", "chat", "chat-many", "headers-wait"])
    parser.add_argument("args", nargs="*", type=int)
    opts = parser.parse_args()
    # One channel, one connection: a local subchannel pool keeps other channels' connections apart.
    channel = grpc.insecure_channel(opts.addr, options=[("grpc.use_local_subchannel_pool", 1)])
    stub = HelloStub(channel)
    start = time.monotonic()
    try:
        if opts.scenario == "record":
            figures = record(channel, opts.args[0])
        elif opts.scenario == "chat":
            figures = "notes=%d answers=%d" % (opts.args[0], chat(stub, opts.args[0]))
        elif opts.scenario == "headers-wait":
            figures = headers_wait(stub)
        else:
            figures = chat_many(channel, opts.args[0], opts.args[1])
    except grpc.RpcError as e:
        print("FAILED %s: %s %s" % (opts.scenario, e.code(), e.details()), flush=True)
        return 1
    except AssertionError as e:
        print("FAILED %s: %s" % (opts.scenario, e), flush=True)
        return 1
    print("ok %s %s secs=%.1f" % (opts.scenario, figures, time.monotonic() - start), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
