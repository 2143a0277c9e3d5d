"""A generic client of the well-known types (issue 12): everything comes from gRPC server reflection.

Uses grpcio-reflection's own client (v1alpha) and protobuf's dynamic messages in a fresh DescriptorPool: no .proto,
no generated code. Resolves clock.v1.Clock, checks that google.protobuf.Timestamp, Duration and Empty resolve from
their own files (google/protobuf/*.proto), calls Stamp with a Timestamp and a Duration and Now with an Empty, and
prints the leading comments reflection carries (SourceCodeInfo) for the service, its methods, messages and fields.

Usage: wkt_reflection_client.py --addr HOST:PORT
Prints one line per finding (the Rust test compares them); exits non-zero on any failure.
"""

import argparse
import sys

import grpc
from google.protobuf import descriptor_pool, message_factory
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

DEADLINE_S = 60  # a hang guard for each call, not a timing assertion
SERVICE = "clock.v1.Clock"


def comments(file_proto):
    """(element, leading comment) for the service, methods, messages, fields, enums and values of a file."""
    names = {}
    package = file_proto.package
    for s, service in enumerate(file_proto.service):
        names[(6, s)] = f"{package}.{service.name}"
        for m, method in enumerate(service.method):
            names[(6, s, 2, m)] = f"{package}.{service.name}.{method.name}"

    def message(path, scope, proto):
        full = f"{scope}.{proto.name}"
        names[path] = full
        for f, field in enumerate(proto.field):
            names[path + (2, f)] = f"{full}.{field.name}"
        for n, nested in enumerate(proto.nested_type):
            message(path + (3, n), full, nested)
        for e, enum in enumerate(proto.enum_type):
            enumeration(path + (4, e), full, enum)

    def enumeration(path, scope, proto):
        full = f"{scope}.{proto.name}"
        names[path] = full
        for v, value in enumerate(proto.value):
            names[path + (2, v)] = f"{full}.{value.name}"

    for i, proto in enumerate(file_proto.message_type):
        message((4, i), package, proto)
    for i, proto in enumerate(file_proto.enum_type):
        enumeration((5, i), package, proto)
    for location in file_proto.source_code_info.location:
        name = names.get(tuple(location.path))
        if name and location.leading_comments:
            yield name, location.leading_comments


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--addr", required=True)
    args = parser.parse_args()

    channel = grpc.insecure_channel(args.addr)
    grpc.channel_ready_future(channel).result(timeout=DEADLINE_S)
    db = ProtoReflectionDescriptorDatabase(channel)
    pool = descriptor_pool.DescriptorPool(db)

    service = pool.FindServiceByName(SERVICE)
    print(f"service {service.full_name} in {service.file.name}")
    print("imports " + " ".join(d.name for d in service.file.dependencies))
    for m in service.methods:
        print(f"method {m.name}({m.input_type.full_name}) returns ({m.output_type.full_name})")
    stamped = pool.FindMessageTypeByName("clock.v1.Stamped")
    for f in sorted(stamped.fields, key=lambda f: f.number):
        kind = f.message_type.full_name + " from " + f.message_type.file.name if f.message_type else "scalar"
        print(f"field {f.name} = {f.number}: {kind}")

    for name, text in comments(db.FindFileContainingSymbol(SERVICE)):
        print(f"comment {name}: {text.strip()}")

    stamp = service.FindMethodByName("Stamp")
    request_class = message_factory.GetMessageClass(stamp.input_type)
    response_class = message_factory.GetMessageClass(stamp.output_type)
    call = channel.unary_unary(
        f"/{SERVICE}/Stamp",
        request_serializer=request_class.SerializeToString,
        response_deserializer=response_class.FromString,
    )
    request = request_class()
    request.at.seconds = 1_700_000_000
    request.at.nanos = 5
    request.took.seconds = 90
    reply = call(request, timeout=DEADLINE_S)
    print(f"Stamp: at {reply.at.seconds}.{reply.at.nanos:09d} took {reply.took.seconds}s {reply.took.nanos}ns")

    now = service.FindMethodByName("Now")
    empty_class = message_factory.GetMessageClass(now.input_type)
    call = channel.unary_unary(
        f"/{SERVICE}/Now",
        request_serializer=empty_class.SerializeToString,
        response_deserializer=message_factory.GetMessageClass(now.output_type).FromString,
    )
    reply = call(empty_class(), timeout=DEADLINE_S)
    print(f"Now: at {reply.at.seconds}")
    channel.close()
    print("ok")


if __name__ == "__main__":
    sys.exit(main())
