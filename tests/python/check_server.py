"""A strict grpcio client of hello.Hello: asserts every field of every response of our server, for all four kinds.

The expected answers are worked out here, independently of the Rust code, from the feature database the server
was started with (RouteGuide semantics):
- GetFeature: the feature within 1e-4 degrees of the point, else an unnamed feature at the point asked;
- ListFeatures: the features inside the rectangle (edges included, corners in any order), in file order;
- RecordRoute: point_count, feature_count (points at a feature), distance (haversine, whole metres, rounded),
  elapsed_time (whole seconds, first to last point: at most the call's own duration);
- RouteChat: for each note, the notes kept earlier at its place; checked interleaved, one note then its answers;
- a point off the globe, a missing corner or a note without a location: INVALID_ARGUMENT.

Usage: check_server.py --addr HOST:PORT --features hello/data/features.json
Needs hello_pb2 and hello_pb2_grpc (made by grpcio-tools from proto/hello.proto) on PYTHONPATH.
Prints one line per check; exits 1 if any failed.
"""

import argparse
import json
import math
import queue
import random
import struct
import sys
import time

import grpc

from hello_pb2 import Point, Rectangle, RouteNote
from hello_pb2_grpc import HelloStub

EARTH_RADIUS_M = 6_371_008.8
TOLERANCE_DEG = 1e-4
DEADLINE_S = 60  # a hang guard for each call, not a timing assertion


def f32(x):
    """The value of x as a float32, as it travels in a `float` field."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


class Failed(Exception):
    pass


def expect(what, got, want):
    if got != want:
        raise Failed(f"{what}: got {got!r}, want {want!r}")


def expect_point(what, got, lat, lon):
    expect(f"{what}.latitude", got.latitude, f32(lat))
    expect(f"{what}.longitude", got.longitude, f32(lon))


def expect_feature(what, got, name, lat, lon):
    expect(f"{what}.name", got.name, name)
    expect(f"{what} has a location", got.HasField("location"), True)
    expect_point(f"{what}.location", got.location, lat, lon)


def expect_status(what, call, code, text):
    try:
        call()
    except grpc.RpcError as e:
        expect(f"{what}: status code", e.code(), code)
        if text not in e.details():
            raise Failed(f"{what}: status message {e.details()!r} does not contain {text!r}")
        return
    raise Failed(f"{what}: succeeded, want {code}")


def load_features(path):
    with open(path, encoding="utf-8") as f:
        return [(e["name"], f32(e["latitude"]), f32(e["longitude"])) for e in json.load(f)]


def feature_at(db, lat, lon):
    lat, lon = f32(lat), f32(lon)
    for name, flat, flon in db:
        if abs(flat - lat) <= TOLERANCE_DEG and abs(flon - lon) <= TOLERANCE_DEG:
            return name, flat, flon
    return None


def distance_m(a, b):
    lat1, lat2 = math.radians(f32(a[0])), math.radians(f32(b[0]))
    dlat = lat2 - lat1
    dlon = math.radians(f32(b[1]) - f32(a[1]))
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


# ---- the four kinds -------------------------------------------------------------------------------------------


def check_get_feature(stub, db):
    for name, lat, lon in db:
        expect_feature(f"GetFeature({name})", stub.GetFeature(Point(latitude=lat, longitude=lon), timeout=DEADLINE_S), name, lat, lon)
    # Float noise well inside the tolerance still finds the place; the answer carries the database's location.
    name, lat, lon = db[0]
    near = stub.GetFeature(Point(latitude=lat + 4e-5, longitude=lon - 4e-5), timeout=DEADLINE_S)
    expect_feature("GetFeature(near the first feature)", near, name, lat, lon)
    # Nothing known: an unnamed feature at the point asked, including (0, 0), which proto3 sends as empty fields.
    for lat, lon in [(1, 2), (0, 0), (-33.5, -70.25), (90, 180), (-90, -180)]:
        expect(f"the database has nothing at ({lat}, {lon})", feature_at(db, lat, lon), None)
        got = stub.GetFeature(Point(latitude=lat, longitude=lon), timeout=DEADLINE_S)
        expect_feature(f"GetFeature({lat}, {lon})", got, "", lat, lon)
    return f"{len(db) + 6} lookups"


def inside(db, lo, hi):
    lat_min, lat_max = sorted((f32(lo[0]), f32(hi[0])))
    lon_min, lon_max = sorted((f32(lo[1]), f32(hi[1])))
    return [f for f in db if lat_min <= f[1] <= lat_max and lon_min <= f[2] <= lon_max]


def check_list_features(stub, db):
    first, last = db[0], db[-1]
    rects = [
        ((-90, -180), (90, 180)),  # everything
        ((first[1], first[2]), (last[1], last[2])),  # corners on two features: edges are inside
        ((last[1], last[2]), (first[1], first[2])),  # the same, corners swapped
        ((30, 110), (40, 120)),
        ((40, 120), (30, 110)),
        ((1, 2), (3, 4)),  # nothing there
        ((first[1], first[2]), (first[1], first[2])),  # a single point
    ]
    total = 0
    for lo, hi in rects:
        rect = Rectangle(lo=Point(latitude=lo[0], longitude=lo[1]), hi=Point(latitude=hi[0], longitude=hi[1]))
        got = list(stub.ListFeatures(rect, timeout=DEADLINE_S))
        want = inside(db, lo, hi)
        expect(f"ListFeatures({lo}, {hi}): names in order", [f.name for f in got], [w[0] for w in want])
        for i, (g, w) in enumerate(zip(got, want)):
            expect_feature(f"ListFeatures({lo}, {hi})[{i}]", g, *w)
        total += len(got)
    expect("ListFeatures over the whole globe returns the whole database", len(inside(db, (-90, -180), (90, 180))), len(db))
    return f"{len(rects)} rectangles, {total} features"


def check_record_route(stub, db):
    routes = [
        [],  # no points: all zero
        [(1, 2)] * 10,  # the seed client's route
        [(n[1], n[2]) for n in db[:8]] + [(1, 2), (db[0][1], db[0][2])],  # features, a detour, a feature again
        [(0, 0), (0, 180), (0, 0)],  # half the globe, twice
    ]
    for route in routes:
        started = time.monotonic()
        got = stub.RecordRoute(iter([Point(latitude=a, longitude=b) for a, b in route]), timeout=DEADLINE_S)
        took = time.monotonic() - started
        what = f"RecordRoute({len(route)} points)"
        expect(f"{what}.point_count", got.point_count, len(route))
        expect(f"{what}.feature_count", got.feature_count, sum(1 for p in route if feature_at(db, *p)))
        metres = sum(distance_m(a, b) for a, b in zip(route, route[1:]))
        expect(f"{what}.distance", got.distance, math.floor(metres + 0.5))
        if not 0 <= got.elapsed_time <= math.ceil(took):
            raise Failed(f"{what}.elapsed_time: got {got.elapsed_time}, want 0..={math.ceil(took)} (the call took {took:.3f}s)")
    return f"{len(routes)} routes"


def note(place, text):
    return RouteNote(location=Point(latitude=place[0], longitude=place[1]), message=text)


def check_route_chat(stub, _db):
    # Places no earlier run can have used, so that the server's notes from other calls do not show up here.
    rng = random.Random()
    p = (round(rng.uniform(-80, 80), 3), round(rng.uniform(-170, 170), 3))
    q = (p[0], round(p[1] + 1, 3))
    script = [  # (place, text, the answers expected to this note)
        (p, "a", []),
        (p, "b", ["a"]),
        (q, "北京 你好", []),
        (p, "", ["a", "b"]),  # an empty message, which proto3 does not send
        (q, "c", ["北京 你好"]),
        (p, "d", ["a", "b", ""]),
    ]
    # Interleaved: each note is sent only after the answers to the previous one have come back.
    outbox = queue.Queue()

    def requests():
        while (item := outbox.get()) is not None:
            yield item

    answers = stub.RouteChat(requests(), timeout=DEADLINE_S)
    for i, (place, text, want) in enumerate(script):
        outbox.put(note(place, text))
        for j, want_text in enumerate(want):
            got = next(answers)
            expect(f"RouteChat note {i} answer {j}.message", got.message, want_text)
            expect(f"RouteChat note {i} answer {j} has a location", got.HasField("location"), True)
            expect_point(f"RouteChat note {i} answer {j}.location", got.location, *place)
    outbox.put(None)
    expect("RouteChat answers after the last note", [n.message for n in answers], [])

    # A second call sees the first one's notes at the same place, oldest first.
    again = list(stub.RouteChat(iter([note(p, "e")]), timeout=DEADLINE_S))
    expect("RouteChat (second call) answers", [n.message for n in again], ["a", "b", "", "d"])
    for j, n in enumerate(again):
        expect_point(f"RouteChat (second call) answer {j}.location", n.location, *p)
    return f"{len(script) + 1} notes, interleaved"


def check_errors(stub, db):
    bad = grpc.StatusCode.INVALID_ARGUMENT
    expect_status("GetFeature(latitude 95)", lambda: stub.GetFeature(Point(latitude=95, longitude=0), timeout=DEADLINE_S), bad, "latitude 95")
    expect_status("GetFeature(longitude NaN)", lambda: stub.GetFeature(Point(latitude=0, longitude=math.nan), timeout=DEADLINE_S), bad, "longitude is NaN")
    expect_status("ListFeatures(no hi)", lambda: list(stub.ListFeatures(Rectangle(lo=Point(latitude=1, longitude=2)), timeout=DEADLINE_S)), bad, "hi")
    points = [Point(latitude=1, longitude=2), Point(latitude=1, longitude=200)]
    expect_status("RecordRoute(longitude 200)", lambda: stub.RecordRoute(iter(points), timeout=DEADLINE_S), bad, "point 1")
    expect_status("RouteChat(a note without a location)", lambda: list(stub.RouteChat(iter([RouteNote(message="x")]), timeout=DEADLINE_S)), bad, "location is missing")
    return "5 refusals"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addr", required=True, help="HOST:PORT of the server")
    parser.add_argument("--features", required=True, help="the feature database (JSON) the server answers from")
    args = parser.parse_args()
    db = load_features(args.features)
    if len(db) < 10:
        sys.exit(f"{args.features}: {len(db)} features; these checks want at least 10")

    failed = 0
    with grpc.insecure_channel(args.addr) as channel:
        grpc.channel_ready_future(channel).result(timeout=DEADLINE_S)
        stub = HelloStub(channel)
        for check in [check_get_feature, check_list_features, check_record_route, check_route_chat, check_errors]:
            try:
                print(f"ok   {check.__name__}: {check(stub, db)}")
            except (Failed, grpc.RpcError, StopIteration) as e:
                failed += 1
                print(f"FAIL {check.__name__}: {type(e).__name__}: {e}")
    print(f"check_server: {5 - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
