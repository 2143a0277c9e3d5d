// A grpc-js client that sends small messages as fast as it can (issue 13): the same scenarios, checks and output
// as tests/python/flood_client.py, which explains them.
//
//   record N          RecordRoute with N points (10 bytes each)
//   chat N            RouteChat with N notes (about 110 bytes) on one call, answers read late and slowly
//   chat-many K N     K RouteChat calls of N notes each at once on one channel (one connection)
//   headers-wait      RouteChat whose first answer comes only after several notes (the server must not wait for
//                     a header-waiting client); needs --notes-per-location 1 too
//
// Usage: node flood_client.js --addr HOST:PORT [--retry-buffer MIB] SCENARIO ARGS...   (NODE_PATH: the
// node_modules of node-env.sh)
//
// --retry-buffer MIB sets grpc-js's per-call and channel retry buffers (grpc.per_rpc_retry_buffer_size,
// grpc.retry_buffer_size; 256 KiB and 16 MiB by default). grpc-js acknowledges a write at once while the call's
// messages fit its retry buffer, and hands them to Node's HTTP/2 stream together, which writes many frames at a
// time; past the buffer it acknowledges each write only once it reached the socket, one message per turn of the
// event loop: about 5,000 small messages a second here, whatever the server does (1,000,000 points took over
// 200 s). With 64 MiB a million points go at full speed (12 s against a release build, 24 s against a debug one).
// Prints `ok <scenario> <figures>` and exits 0, or `FAILED <scenario>: <why>` and exits 1.
"use strict";

const path = require("path");
const grpc = require("@grpc/grpc-js");
const protoLoader = require("@grpc/proto-loader");

const PLACES = 7;
const TEXT = "x".repeat(90);
const DEADLINE_MS = 300000; // a hang guard, not a timing assertion
const RUN = Math.random() * 100 - 50; // places of this run only

const proto = path.join(__dirname, "..", "..", "proto", "hello.proto");
const def = protoLoader.loadSync(proto, { keepCase: false, defaults: true });
const hello = grpc.loadPackageDefinition(def).hello;

function deadline() {
  return new Date(Date.now() + DEADLINE_MS);
}

function note(i, tag) {
  const place = i % PLACES;
  return { location: { latitude: RUN + place * 0.01, longitude: 20 + tag }, message: `${TEXT} ${i}` };
}

// Writes n messages as fast as the call takes them (waiting on 'drain' only when grpc-js says its buffer is full).
function writeAll(call, n, make) {
  return new Promise((resolve) => {
    let i = 0;
    const more = () => {
      while (i < n) {
        const ok = call.write(make(i));
        i += 1;
        if (!ok) {
          call.once("drain", more);
          return;
        }
      }
      call.end();
      resolve();
    };
    more();
  });
}

function record(client, n) {
  // Serialized once, as the Python client does: the client's own encoding is not what is measured.
  const point = Buffer.from(hello.Point.serialize({ latitude: 1, longitude: 2 }));
  return new Promise((resolve, reject) => {
    const call = client.makeClientStreamRequest(
      "/hello.Hello/RecordRoute",
      (b) => b,
      (b) => hello.RouteSummary.deserialize(b),
      new grpc.Metadata(),
      { deadline: deadline() },
      (err, summary) => {
        if (err) return reject(err);
        if (summary.pointCount !== n) return reject(new Error(`point_count ${summary.pointCount}, want ${n}`));
        resolve(`points=${n}`);
      },
    );
    writeAll(call, n, () => point);
  });
}

function chat(client, n, tag, pauseMs) {
  return new Promise((resolve, reject) => {
    const call = client.routeChat({ deadline: deadline() });
    let count = 0;
    call.on("data", () => {
      count += 1;
      if (count % 1000 === 0) {
        call.pause(); // stay a slow reader
        setTimeout(() => call.resume(), 10);
      }
    });
    call.on("error", reject);
    call.on("end", () => {
      const want = Math.max(n - PLACES, 0);
      if (count !== want) return reject(new Error(`call ${tag}: ${count} answers, want ${want}`));
      resolve(count);
    });
    // Nobody reads until the pause is over: the server's handler falls behind its output.
    call.pause();
    setTimeout(() => call.resume(), pauseMs);
    writeAll(call, n, (i) => note(i, tag));
  });
}

async function chatMany(client, k, n) {
  const counts = await Promise.all([...Array(k).keys()].map((tag) => chat(client, n, tag, 500)));
  return `calls=${k} answers=${counts.reduce((a, b) => a + b, 0)}`;
}

// Five notes at five new places (no answer: nothing was there), then one at the first place: its answer is the
// call's first message. grpc-js exposes the response headers as 'metadata'; the call must get them and the answer.
function headersWait(client) {
  return new Promise((resolve, reject) => {
    const call = client.routeChat({ deadline: deadline() });
    let headers = false;
    const answers = [];
    call.on("metadata", () => {
      headers = true;
    });
    call.on("data", (n) => answers.push(n.message));
    call.on("error", reject);
    call.on("end", () => {
      if (!headers) return reject(new Error("no response headers"));
      if (answers.length !== 1 || answers[0] !== "first") {
        return reject(new Error(`answers ${JSON.stringify(answers)}, want ["first"]`));
      }
      resolve("answers=1");
    });
    const at = (place, message) => ({ location: { latitude: RUN + place * 0.01, longitude: 33 }, message });
    for (let p = 0; p < 5; p++) call.write(at(p, p === 0 ? "first" : `n${p}`));
    // The last note only after a while: the server has read five notes and answered nothing yet.
    setTimeout(() => {
      call.write(at(0, "second"));
      call.end();
    }, 200);
  });
}

async function main() {
  const args = process.argv.slice(2);
  const flag = (name) => {
    const at = args.indexOf(name);
    if (at < 0) return undefined;
    const value = args[at + 1];
    args.splice(at, 2);
    return value;
  };
  const addr = flag("--addr");
  const retryBuffer = flag("--retry-buffer");
  const [scenario, ...nums] = args;
  const n = nums.map(Number);
  const options = {};
  if (retryBuffer !== undefined) {
    options["grpc.per_rpc_retry_buffer_size"] = Number(retryBuffer) << 20;
    options["grpc.retry_buffer_size"] = Number(retryBuffer) << 20;
  }
  const client = new hello.Hello(addr, grpc.credentials.createInsecure(), options);
  const start = Date.now();
  let figures;
  try {
    if (scenario === "record") figures = await record(client, n[0]);
    else if (scenario === "chat") figures = `notes=${n[0]} answers=${await chat(client, n[0], 0, 1000)}`;
    else if (scenario === "chat-many") figures = await chatMany(client, n[0], n[1]);
    else if (scenario === "headers-wait") figures = await headersWait(client);
    else throw new Error(`unknown scenario ${scenario}`);
  } catch (e) {
    const code = e.code !== undefined ? `${grpc.status[e.code]} ` : "";
    console.log(`FAILED ${scenario}: ${code}${e.details || e.message}`);
    process.exit(1);
  }
  console.log(`ok ${scenario} ${figures} secs=${((Date.now() - start) / 1000).toFixed(1)}`);
  client.close();
  process.exit(0);
}

main();
