// @connectrpc/connect-node against hello-server (issue 14): the four kinds of hello.Hello over one transport.
//
//   node client.mjs connect|grpcweb|grpc 1.1|2 BASE_URL json|binary CHAT_LATITUDE
//
// RouteChat answers each note with the notes at its place before it: each run chats at a place of its own.
//
// Prints one line per call, `kind value` or `kind error <code>`, for the Rust test to compare. TLS: set
// NODE_EXTRA_CA_CERTS to the server's certificate.
import { createClient, ConnectError, Code } from "@connectrpc/connect";
import {
    createConnectTransport,
    createGrpcWebTransport,
    createGrpcTransport,
} from "@connectrpc/connect-node";
import { Hello } from "../gen/hello_pb.js";

const [protocol, httpVersion, baseUrl, format, chatLatitude] = process.argv.slice(2);
const options = { baseUrl, httpVersion, useBinaryFormat: format === "binary" };
const transport = {
    connect: () => createConnectTransport(options),
    grpcweb: () => createGrpcWebTransport(options),
    grpc: () => createGrpcTransport(options),
}[protocol]();
const client = createClient(Hello, transport);

const point = (latitude, longitude) => ({ latitude, longitude });
const codeName = (e) =>
    e instanceof ConnectError
        ? Code[e.code].replace(/[A-Z]/g, (c, i) => (i ? "_" : "") + c.toLowerCase())
        : `not-a-connect-error ${e}`;

async function check(kind, call) {
    try {
        console.log(kind, await call());
    } catch (e) {
        console.log(kind, "error", codeName(e));
    }
}

async function* points(list) {
    for (const p of list) yield p;
}

await check("unary", async () => (await client.getFeature(point(39.92, 116.46))).name);
await check("unary-error", async () => (await client.getFeature(point(1000, 0))).name);
await check("server-stream", async () => {
    let n = 0;
    for await (const f of client.listFeatures({ lo: point(39.9, 116.0), hi: point(40.4, 116.5) })) n++;
    return n;
});
await check("client-stream", async () => {
    const summary = await client.recordRoute(
        points([point(39.92, 116.46), point(39.9087, 116.3975), point(39.9163, 116.3972)]),
    );
    return `${summary.pointCount} ${summary.featureCount}`;
});
await check("bidi", async () => {
    const here = point(Number(chatLatitude), 121.47);
    let n = 0;
    for await (const note of client.routeChat(
        points([
            { location: here, message: "first" },
            { location: here, message: "second" },
        ]),
    ))
        n++;
    return n;
});
