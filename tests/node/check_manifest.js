// Checks docs/deploy/kubernetes.yaml (issue 13): every document parses as YAML, and the Deployment has what the
// deployment recipe promises: gRPC readiness and liveness probes on the container port, a preStop sleep, and a
// termination grace period longer than preStop + --drain-delay + --grace-period.
// Usage: node check_manifest.js FILE   (NODE_PATH: the node_modules of node-env.sh). Prints `ok ...` or fails.
"use strict";

const fs = require("fs");
const yaml = require("js-yaml");

function fail(why) {
  console.log(`FAILED manifest: ${why}`);
  process.exit(1);
}

const docs = yaml.loadAll(fs.readFileSync(process.argv[2], "utf8"));
const kinds = docs.map((d) => d && d.kind);
const deployment = docs.find((d) => d && d.kind === "Deployment");
if (!deployment) fail(`no Deployment among ${kinds}`);
const pod = deployment.spec.template.spec;
const container = pod.containers.find((c) => c.name === "hello-server");
if (!container) fail("no hello-server container");
const port = container.ports[0].containerPort;
for (const probe of ["readinessProbe", "livenessProbe"]) {
  if (!container[probe] || !container[probe].grpc || container[probe].grpc.port !== port) {
    fail(`${probe} is not a gRPC probe on port ${port}`);
  }
}
const preStop = container.lifecycle && container.lifecycle.preStop && container.lifecycle.preStop.sleep;
if (!preStop) fail("no preStop sleep");
const arg = (name) => {
  const a = container.args.find((x) => x.startsWith(`--${name}=`));
  if (!a) fail(`no --${name}`);
  return Number(a.split("=")[1]);
};
const needed = preStop.seconds + arg("drain-delay") + arg("grace-period");
if (!(pod.terminationGracePeriodSeconds > needed)) {
  fail(`terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} <= ${needed}`);
}
const service = docs.find((d) => d && d.kind === "Service");
if (!service || service.spec.selector.app !== deployment.spec.selector.matchLabels.app) fail("no Service selecting it");
console.log(`ok manifest kinds=${kinds.join(",")} grace=${pod.terminationGracePeriodSeconds}s needed>${needed}s`);
