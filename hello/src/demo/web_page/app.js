// The RouteGuide demo page: hello.Hello over Connect with fetch and JSON, no library and no build step.
"use strict";

const SERVICE = "/hello.Hello/";
const HEADERS = { "connect-protocol-version": "1" };
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// The map: longitude 73..137 and latitude 16..54 at 10 px a degree.
const WEST = 73, NORTH = 54, SCALE = 10;
const toXY = (p) => [((p.longitude ?? 0) - WEST) * SCALE, (NORTH - (p.latitude ?? 0)) * SCALE];
const toPoint = (x, y) => ({ longitude: x / SCALE + WEST, latitude: NORTH - y / SCALE });

// A coarse outline of China (mainland, Hainan, Taiwan), longitude and latitude.
const OUTLINES = [
  [[73.5, 39.5], [75, 40.5], [80, 42.2], [80.5, 45], [83, 47.2], [87, 49.2], [90, 47.8], [91, 45.5],
   [96.3, 42.7], [100, 42.6], [105, 41.6], [110, 42.6], [111.8, 43.7], [116.5, 46.5], [119.5, 47.5],
   [117.8, 49.5], [120, 52.5], [123, 53.5], [126, 52.8], [127.5, 50], [130.5, 48.8], [134.7, 48.3],
   [133.1, 45.1], [131, 44.8], [131.2, 42.9], [129.8, 42.4], [126.8, 41.7], [124.3, 39.9], [121.6, 38.9],
   [121.2, 40.9], [119.4, 39.4], [117.7, 38.9], [118.9, 37.5], [120.7, 37.8], [122.6, 37.4], [120.3, 36],
   [119.3, 34.7], [120.9, 32.6], [121.9, 31.7], [121.9, 29.9], [120.7, 27.9], [119.6, 26], [117.9, 24.4],
   [116.5, 23], [114.2, 22.3], [113.3, 22.1], [110.5, 21.2], [109.6, 21.6], [108.1, 21.5], [106.7, 22.8],
   [105.4, 23.3], [103.9, 22.5], [101.8, 22.5], [101.2, 21.3], [99.2, 22.1], [99.5, 22.9], [98.2, 24.1],
   [97.5, 25.3], [98.6, 27.6], [97.5, 28.2], [95.4, 29], [92, 27.8], [88.9, 27.3], [85.1, 28.3],
   [81.3, 30.2], [78.9, 31.3], [78.7, 32.4], [79.4, 34.5], [78, 35.5], [75.9, 36.7], [74.5, 37.4]],
  [[108.6, 19.2], [109.5, 18.2], [110.6, 18.4], [111, 19.6], [110.6, 20.1], [109.3, 20], [108.6, 19.2]],
  [[120.1, 23.1], [120.7, 22], [121.5, 22.9], [121.9, 25], [121.5, 25.3], [120.7, 24.5]],
];

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const map = $("map");
const route = [];
let lastPlace = null;

function showError(e) {
  $("error").textContent = String(e.message ?? e);
}

// One Connect envelope of a JSON message.
function envelope(message) {
  const bytes = encoder.encode(JSON.stringify(message));
  const out = new Uint8Array(5 + bytes.length);
  new DataView(out.buffer).setUint32(1, bytes.length);
  out.set(bytes, 5);
  return out;
}

function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

// A Connect unary call: the message as the body, the answer or {code, message} back.
async function unary(method, message) {
  const response = await fetch(SERVICE + method, {
    method: "POST",
    headers: { ...HEADERS, "content-type": "application/json" },
    body: JSON.stringify(message),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`${method}: ${body.code}: ${body.message ?? ""}`);
  return body;
}

// A Connect streaming call: the requests go as one body (a browser cannot stream a request body over HTTP/1.1),
// the answers are yielded as their envelopes arrive, until the end-of-stream envelope.
async function* streaming(method, messages) {
  const response = await fetch(SERVICE + method, {
    method: "POST",
    headers: { ...HEADERS, "content-type": "application/connect+json" },
    body: concat(messages.map(envelope)),
  });
  if (!response.ok) throw new Error(`${method}: HTTP ${response.status}`);
  const reader = response.body.getReader();
  let buffer = new Uint8Array(0);
  for (;;) {
    while (buffer.length >= 5) {
      const length = new DataView(buffer.buffer, buffer.byteOffset).getUint32(1);
      if (buffer.length < 5 + length) break;
      const flags = buffer[0];
      const message = JSON.parse(decoder.decode(buffer.subarray(5, 5 + length)));
      buffer = buffer.subarray(5 + length);
      if (flags & 2) {
        if (message.error) throw new Error(`${method}: ${message.error.code}: ${message.error.message ?? ""}`);
        return;
      }
      yield message;
    }
    const { done, value } = await reader.read();
    if (done) throw new Error(`${method}: the stream ended without its end-of-stream message`);
    buffer = concat([buffer, value]);
  }
}

const fixed = (n) => (n ?? 0).toFixed(2);

function drawOutline() {
  for (const outline of OUTLINES) {
    const polygon = document.createElementNS(SVG, "polygon");
    polygon.setAttribute("class", "outline");
    polygon.setAttribute("points", outline.map(([lng, lat]) => toXY({ latitude: lat, longitude: lng }).join(",")).join(" "));
    $("outline").append(polygon);
  }
}

async function loadPlaces() {
  const everywhere = { lo: { latitude: -90, longitude: -180 }, hi: { latitude: 90, longitude: 180 } };
  let count = 0;
  for await (const feature of streaming("ListFeatures", [everywhere])) {
    const [x, y] = toXY(feature.location ?? {});
    const dot = document.createElementNS(SVG, "circle");
    dot.setAttribute("class", "place");
    dot.setAttribute("cx", x);
    dot.setAttribute("cy", y);
    dot.setAttribute("r", 4);
    dot.dataset.name = feature.name ?? "";
    dot.dataset.latitude = feature.location?.latitude ?? 0;
    dot.dataset.longitude = feature.location?.longitude ?? 0;
    const title = document.createElementNS(SVG, "title");
    title.textContent = feature.name;
    dot.append(title);
    dot.addEventListener("click", () => clickPlace(dot).catch(showError));
    $("places").append(dot);
    count++;
  }
  $("place-count").textContent = count;
  map.dataset.ready = "true";
}

async function clickPlace(dot) {
  const point = { latitude: Number(dot.dataset.latitude), longitude: Number(dot.dataset.longitude) };
  lastPlace = point;
  route.push(point);
  $("route-points").textContent = route.length;
  $("path").setAttribute("points", route.map((p) => toXY(p).join(",")).join(" "));
  $("clicked").textContent = `${fixed(point.latitude)}, ${fixed(point.longitude)}`;
  $("feature-name").textContent = "…";
  const feature = await unary("GetFeature", point);
  $("feature-name").textContent = feature.name || "(no place here)";
}

// Dragging a rectangle lists the places in it.
function svgPoint(event) {
  const p = map.createSVGPoint();
  p.x = event.clientX;
  p.y = event.clientY;
  return p.matrixTransform(map.getScreenCTM().inverse());
}

let dragFrom = null;
map.addEventListener("mousedown", (event) => {
  if (event.target.classList.contains("place")) return;
  dragFrom = svgPoint(event);
  event.preventDefault();
});
map.addEventListener("mousemove", (event) => {
  if (!dragFrom) return;
  const to = svgPoint(event);
  const selection = $("selection");
  selection.setAttribute("x", Math.min(dragFrom.x, to.x));
  selection.setAttribute("y", Math.min(dragFrom.y, to.y));
  selection.setAttribute("width", Math.abs(to.x - dragFrom.x));
  selection.setAttribute("height", Math.abs(to.y - dragFrom.y));
  selection.setAttribute("visibility", "visible");
});
window.addEventListener("mouseup", (event) => {
  if (!dragFrom) return;
  const from = dragFrom;
  dragFrom = null;
  const to = svgPoint(event);
  if (Math.abs(to.x - from.x) < 3 || Math.abs(to.y - from.y) < 3) return;
  const a = toPoint(from.x, from.y), b = toPoint(to.x, to.y);
  const lo = { latitude: Math.min(a.latitude, b.latitude), longitude: Math.min(a.longitude, b.longitude) };
  const hi = { latitude: Math.max(a.latitude, b.latitude), longitude: Math.max(a.longitude, b.longitude) };
  listFeatures(lo, hi).catch(showError);
});

async function listFeatures(lo, hi) {
  const range = $("list-range");
  range.textContent = `latitude ${fixed(lo.latitude)} to ${fixed(hi.latitude)}, longitude ${fixed(lo.longitude)} to ${fixed(hi.longitude)}`;
  Object.assign(range.dataset, {
    loLatitude: lo.latitude, loLongitude: lo.longitude, hiLatitude: hi.latitude, hiLongitude: hi.longitude,
  });
  $("list").replaceChildren();
  $("list-count").textContent = 0;
  $("list-state").textContent = "(streaming…)";
  $("list-state").dataset.done = "false";
  for (const dot of document.querySelectorAll(".place.listed")) dot.classList.remove("listed");
  let count = 0;
  for await (const feature of streaming("ListFeatures", [{ lo, hi }])) {
    const item = document.createElement("li");
    item.textContent = `${feature.name} (${fixed(feature.location?.latitude)}, ${fixed(feature.location?.longitude)})`;
    $("list").append(item);
    $("list-count").textContent = ++count;
    for (const dot of document.querySelectorAll(".place")) {
      if (dot.dataset.name === feature.name) dot.classList.add("listed");
    }
  }
  $("list-state").textContent = "(done)";
  $("list-state").dataset.done = "true";
}

$("record").addEventListener("click", async () => {
  if (route.length === 0) {
    $("route-summary").textContent = "click some places first";
    return;
  }
  try {
    for await (const s of streaming("RecordRoute", route)) {
      $("route-summary").textContent =
        `${s.pointCount ?? 0} points, ${s.featureCount ?? 0} places, ${s.distance ?? 0} m, ${s.elapsedTime ?? 0} s`;
    }
  } catch (e) {
    showError(e);
  }
  $("route-note").textContent =
    "The route went as one request body: a page's fetch cannot stream a request body over HTTP/1.1, so a " +
    "client stream from a browser is sent once it is complete.";
});

$("clear").addEventListener("click", () => {
  route.length = 0;
  $("route-points").textContent = 0;
  $("path").setAttribute("points", "");
  $("route-summary").textContent = "";
});

$("chat").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("chat-text").value.trim();
  if (!text) return;
  if (!lastPlace) {
    showError("click a place first: notes are posted there");
    return;
  }
  const at = lastPlace;
  try {
    $("notes").replaceChildren();
    for await (const note of streaming("RouteChat", [{ location: at, message: text }])) {
      const item = document.createElement("li");
      item.textContent = `earlier here: ${note.message}`;
      $("notes").append(item);
    }
    const mine = document.createElement("li");
    mine.textContent = `posted: ${text}`;
    $("notes").append(mine);
    $("chat-text").value = "";
  } catch (e) {
    showError(e);
  }
});

drawOutline();
loadPlaces().catch(showError);
