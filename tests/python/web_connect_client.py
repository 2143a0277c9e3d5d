"""Python's connectrpc client against hello-server's Connect side (issue 14), unary and server streaming, with
JSON (plain dicts through a codec of its own) and protobuf (hello_pb2 from proto/hello.proto).

Usage: web_connect_client.py URL json|proto
Prints one line per check, `name value`, for the Rust test to compare; errors as `name error <code>`.
"""

import json
import sys

from connectrpc.client import ConnectClientSync
from connectrpc.errors import ConnectError
from connectrpc.method import IdempotencyLevel, MethodInfo, StreamType


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


def main():
    url, encoding = sys.argv[1], sys.argv[2]
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
    with ConnectClientSync(url, codec=codec) as client:
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
