"""Python's connectrpc client against hello-server's Connect side (issue 14), unary and server streaming, with
JSON (plain dicts through a codec of its own) and protobuf (hello_pb2 from proto/hello.proto).

Usage: web_connect_client.py URL json|proto [--ca FILE] [--http1|--h2] [--details]
  --ca FILE   trust this CA's certificate (an https URL: TLS)
  --http1     HTTP/1.1 only; --h2: HTTP/2 only (over plaintext: h2c with prior knowledge)
  --details   call a server whose errors carry details (tests/tests/web_error_details.rs) and print them decoded
Prints one line per check, `name value`, for the Rust test to compare; errors as `name error <code>`.
"""

import json
import sys

from connectrpc.client import ConnectClientSync
from connectrpc.errors import ConnectError
from connectrpc.method import IdempotencyLevel, MethodInfo, StreamType
from pyqwest import HTTPVersion, SyncClient, SyncHTTPTransport


class DictJson:
    """ProtoJSON as plain dicts: what a Python user with no generated code sends."""

    def name(self):
        return "json"

    def encode(self, message):
        return json.dumps(message).encode()

    def decode(self, data, message_class):
        return json.loads(bytes(data))


class Pb2Binary:
    """Protobuf through google.protobuf messages."""

    def name(self):
        return "proto"

    def encode(self, message):
        return message.SerializeToString()

    def decode(self, data, message_class):
        return message_class.FromString(bytes(data))


def method(name, kind, input_type, output_type):
    return MethodInfo(
        name=name,
        service_name="hello.Hello",
        input=input_type,
        output=output_type,
        idempotency_level=IdempotencyLevel.UNKNOWN,
        stream_type=kind,
    )


def shown(error):
    """The code and each detail of a ConnectError, decoded: `invalid_argument hello.Point(1000,7) ...`."""
    import hello_pb2
    from google.protobuf import duration_pb2

    parts = [error.code.name.lower()]
    for detail in error.details:
        if detail.type_name == "hello.Point":
            p = hello_pb2.Point.FromString(detail.message_bytes)
            parts.append(f"hello.Point({p.latitude:g},{p.longitude:g})")
        elif detail.type_name == "google.protobuf.Duration":
            d = duration_pb2.Duration.FromString(detail.message_bytes)
            parts.append(f"google.protobuf.Duration({d.seconds + d.nanos / 1e9:g}s)")
        else:
            parts.append(detail.type_name)
    return " ".join(parts)


def main():
    url, encoding = sys.argv[1], sys.argv[2]
    flags = sys.argv[3:]
    details = "--details" in flags
    transport = {}
    if "--ca" in flags:
        with open(flags[flags.index("--ca") + 1], "rb") as f:
            transport["tls_ca_cert"] = f.read()
    if "--http1" in flags:
        transport["http_version"] = HTTPVersion.HTTP1
    if "--h2" in flags:
        transport["http_version"] = HTTPVersion.HTTP2
    http_client = SyncClient(SyncHTTPTransport(**transport)) if transport else None
    if encoding == "json":
        codec = DictJson()
        point = lambda lat, lng: {"latitude": lat, "longitude": lng}
        rect = lambda lo, hi: {"lo": lo, "hi": hi}
        name_of = lambda f: f.get("name", "")
        types = (dict, dict, dict)
    else:
        import hello_pb2

        codec = Pb2Binary()
        point = lambda lat, lng: hello_pb2.Point(latitude=lat, longitude=lng)
        rect = lambda lo, hi: hello_pb2.Rectangle(lo=lo, hi=hi)
        name_of = lambda f: f.name
        types = (hello_pb2.Point, hello_pb2.Feature, hello_pb2.Rectangle)

    get_feature = method("GetFeature", StreamType.UNARY, types[0], types[1])
    list_features = method("ListFeatures", StreamType.SERVER_STREAM, types[2], types[1])
    with ConnectClientSync(url, codec=codec, http_client=http_client) as client:
        if details:
            try:
                client.execute_unary(request=point(1000, 7), method=get_feature)
                print("unary no-error")
            except ConnectError as e:
                print("unary", shown(e))
            n = 0
            try:
                empty = {} if encoding == "json" else types[2]()
                for _ in client.execute_server_stream(request=empty, method=list_features):
                    n += 1
                print("server-stream", n, "no-error")
            except ConnectError as e:
                print("server-stream", n, shown(e))
            return
        feature = client.execute_unary(request=point(39.92, 116.46), method=get_feature)
        print("unary", name_of(feature))
        try:
            client.execute_unary(request=point(1000, 0), method=get_feature)
            print("unary-error none")
        except ConnectError as e:
            print("unary-error", e.code.name.lower())
        names = [
            name_of(f)
            for f in client.execute_server_stream(
                request=rect(point(39.9, 116.0), point(40.4, 116.5)), method=list_features
            )
        ]
        print("server-stream", len(names))
        try:
            list(client.execute_server_stream(request=rect(None, point(1, 1)), method=list_features))
            print("server-stream-error none")
        except ConnectError as e:
            print("server-stream-error", e.code.name.lower())


if __name__ == "__main__":
    main()
