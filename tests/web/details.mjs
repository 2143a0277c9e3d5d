// @connectrpc/connect-node reading error details (issue 14): a server whose errors carry google.rpc.Status
// details (hello.Point and google.protobuf.Duration), over one transport.
//
//   node details.mjs connect|grpcweb|grpc 1.1|2 BASE_URL json|binary
//
// Prints, for the Rust test to compare, one line per call: the kind, (for the stream) the messages received
// before the error, the code, then each detail as ConnectError.findDetails decodes it.
import { createClient, ConnectError, Code } from "@connectrpc/connect";
import {
    createConnectTransport,
    createGrpcWebTransport,
    createGrpcTransport,
} from "@connectrpc/connect-node";
import { createRegistry } from "@bufbuild/protobuf";
import { DurationSchema } from "@bufbuild/protobuf/wkt";
import { Hello, PointSchema } from "../gen/hello_pb.js";

const [protocol, httpVersion, baseUrl, format] = process.argv.slice(2);
const options = { baseUrl, httpVersion, useBinaryFormat: format === "binary" };
const transport = {
    connect: () => createConnectTransport(options),
    grpcweb: () => createGrpcWebTransport(options),
    grpc: () => createGrpcTransport(options),
}[protocol]();
const client = createClient(Hello, transport);

const codeName = (code) => Code[code].replace(/[A-Z]/g, (c, i) => (i ? "_" : "") + c.toLowerCase());
const registry = createRegistry(PointSchema, DurationSchema);

// Each detail decoded: `hello.Point(lat,lng)`, `google.protobuf.Duration(3.5s)`.
function shown(e) {
    if (!(e instanceof ConnectError)) return `not-a-connect-error ${e}`;
    const parts = [codeName(e.code)];
    for (const d of e.findDetails(registry)) {
        if (d.$typeName === "hello.Point") parts.push(`hello.Point(${d.latitude},${d.longitude})`);
        else if (d.$typeName === "google.protobuf.Duration")
            parts.push(`google.protobuf.Duration(${Number(d.seconds) + d.nanos / 1e9}s)`);
        else parts.push(d.$typeName);
    }
    // findDetails with one type finds only that type's.
    if (e.findDetails(PointSchema).length !== 1) parts.push("findDetails(PointSchema) != 1");
    return parts.join(" ");
}

try {
    await client.getFeature({ latitude: 1000, longitude: 7 });
    console.log("unary no-error");
} catch (e) {
    console.log("unary", shown(e));
}
let n = 0;
try {
    for await (const _ of client.listFeatures({})) n++;
    console.log("server-stream", n, "no-error");
} catch (e) {
    console.log("server-stream", n, shown(e));
}
