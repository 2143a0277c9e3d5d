"""A generic client of a server it knows nothing about: everything comes from gRPC server reflection.

Uses grpcio-reflection's own client (ProtoReflectionDescriptorDatabase, reflection v1alpha) and protobuf's
dynamic messages; no .proto file and no generated code is imported (a fresh DescriptorPool, not the default).
Lists the services, resolves hello.Hello and every message its methods reach, then calls GetFeature and
ListFeatures with requests built from the descriptors the server returned.

Usage: reflection_client.py --addr HOST:PORT
Prints the schema it found, one line per service, method and field (the Rust test compares them with
proto/hello.proto), then one line per call. Exits non-zero on any failure.
"""

import argparse
import struct
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

DEADLINE_S = 60  # a hang guard for each call, not a timing assertion
SERVICE = "hello.Hello"


def f32(x):
    """The value of x as a float32, as it travels in a `float` field."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def type_name(field):
    """`float`, `string`, ... or the full name of a message or enum type."""
    if field.message_type is not None:
        return field.message_type.full_name
    if field.enum_type is not None:
        return field.enum_type.full_name
    return descriptor_pb2.FieldDescriptorProto.Type.Name(field.type).removeprefix("TYPE_").lower()


def reached_messages(service):
    """Every message the service's methods reach, transitively, in the order first met."""
    seen, order = set(), []

    def visit(message):
        if message.full_name in seen:
            return
        seen.add(message.full_name)
        order.append(message)
        for field in message.fields:
            if field.message_type is not None:
                visit(field.message_type)

    for method in service.methods:
        visit(method.input_type)
        visit(method.output_type)
    return order


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--addr", required=True)
    args = parser.parse_args()

    channel = grpc.insecure_channel(args.addr)
    grpc.channel_ready_future(channel).result(timeout=DEADLINE_S)
    db = ProtoReflectionDescriptorDatabase(channel)

    services = sorted(db.get_services())
    print("services: " + " ".join(services))
    if SERVICE not in services:
        sys.exit(f"{SERVICE} is not listed")

    pool = descriptor_pool.DescriptorPool(db)
    service = pool.FindServiceByName(SERVICE)
    print(f"service {service.full_name} in {service.file.name}")
    for m in service.methods:
        print(
            f"method {m.full_name}({'stream ' if m.client_streaming else ''}{m.input_type.full_name})"
            f" returns ({'stream ' if m.server_streaming else ''}{m.output_type.full_name})"
        )
    for message in reached_messages(service):
        # Resolved by name too, as a client given only a type name would.
        resolved = pool.FindMessageTypeByName(message.full_name)
        fields = ", ".join(
            f"{'repeated ' if f.is_repeated else ''}{type_name(f)} {f.name} = {f.number}"
            for f in sorted(resolved.fields, key=lambda f: f.number)
        )
        print(f"message {resolved.full_name} {{ {fields} }}")

    # Calls with dynamic messages made from what reflection returned.
    get_feature = service.FindMethodByName("GetFeature")
    request_class = message_factory.GetMessageClass(get_feature.input_type)
    response_class = message_factory.GetMessageClass(get_feature.output_type)
    call = channel.unary_unary(
        f"/{service.full_name}/{get_feature.name}",
        request_serializer=request_class.SerializeToString,
        response_deserializer=response_class.FromString,
    )
    feature = call(request_class(latitude=39.92, longitude=116.46), timeout=DEADLINE_S)
    loc = feature.location
    print(f"GetFeature(39.92, 116.46): {feature.name} at {loc.latitude:.2f},{loc.longitude:.2f}")
    if (feature.name, loc.latitude, loc.longitude) != ("北京", f32(39.92), f32(116.46)):
        sys.exit(f"GetFeature answered {feature!r}")

    list_features = service.FindMethodByName("ListFeatures")
    rect_class = message_factory.GetMessageClass(list_features.input_type)
    point_class = message_factory.GetMessageClass(pool.FindMessageTypeByName("hello.Point"))
    stream = channel.unary_stream(
        f"/{service.full_name}/{list_features.name}",
        request_serializer=rect_class.SerializeToString,
        response_deserializer=message_factory.GetMessageClass(list_features.output_type).FromString,
    )
    rect = rect_class(lo=point_class(latitude=39.5, longitude=116.0), hi=point_class(latitude=40.5, longitude=117.0))
    names = [f.name for f in stream(rect, timeout=DEADLINE_S)]
    print(f"ListFeatures(39.5..40.5, 116..117): {' '.join(names)}")
    if "北京" not in names:
        sys.exit(f"ListFeatures answered {names!r}")

    channel.close()
    print("ok")


if __name__ == "__main__":
    main()
