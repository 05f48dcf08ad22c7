// A short flow through the TypeScript client generated from api/openapi.yaml
// (openapi-typescript types, openapi-fetch calls), against a running local
// stack: API=http://127.0.0.1:3000 node dist/flow.js. It exits non-zero on
// the first answer that is not what the types promise.
import createClient from "openapi-fetch";
import type { paths, components } from "./schema.js";

const api = process.env.API ?? "http://127.0.0.1:3000";

function fail(msg: string): never {
  console.error("flow: " + msg);
  return process.exit(1);
}

async function token(name: string): Promise<string> {
  const res = await fetch(`${api}/_local/tokens/${name}`);
  if (!res.ok) fail(`token ${name}: ${res.status}`);
  return (await res.text()).trim();
}

function client(tok?: string) {
  return createClient<paths>({ baseUrl: api, headers: tok ? { Authorization: `Bearer ${tok}` } : {} });
}

const biz = client(await token("acme-coffee"));
const agent = client(await token("compliance"));
const anyone = client();

// A typed list.
const reviews = await biz.GET("/v1/reviews", { params: { query: { limit: 5 } } });
if (!reviews.data || reviews.data.items.length === 0) fail(`list reviews: ${reviews.response.status}`);

// A typed error: the 422's field problems are there, typed.
const bad = await biz.POST("/v1/reviews/{reviewId}/reports", {
  params: { path: { reviewId: "rev-acme-04" }, header: {} },
  body: { items: [{ scope: "review", reason: "spam", details: "short" }], publicStatement: "x" },
});
const problems: components["schemas"]["FieldProblems"] | undefined = bad.error && "error" in bad.error ? bad.error.error.fields : undefined;
if (bad.response.status !== 422 || !problems?.["items[0].details"]) fail(`a bad report: ${bad.response.status} ${JSON.stringify(bad.error)}`);

// A report and its replay with the same key: the first answer, marked.
const report = {
  items: [{ scope: "review" as const, reason: "spam" as const, details: "The same text was posted on three shops." }],
  publicStatement: "We have no record of this order.",
};
const key = "ts-flow-1";
const first = await biz.POST("/v1/reviews/{reviewId}/reports", { params: { path: { reviewId: "rev-acme-04" }, header: { "Idempotency-Key": key } }, body: report });
const again = await biz.POST("/v1/reviews/{reviewId}/reports", { params: { path: { reviewId: "rev-acme-04" }, header: { "Idempotency-Key": key } }, body: report });
if (!first.data || !again.data || again.data.id !== first.data.id || again.response.headers.get("Idempotent-Replayed") !== "true") {
  fail(`replay: ${first.response.status} ${again.response.status} ${again.response.headers.get("Idempotent-Replayed")}`);
}
const timeline: components["schemas"]["TimelineEntry"][] = first.data.timeline; // always sent on one report
if (timeline.length === 0) fail("the report has no timeline");

// The public view: its shapes told apart by visibility.
const pub = await anyone.GET("/v1/public/reviews/{reviewId}", { params: { path: { reviewId: "rev-acme-04" } } });
if (!pub.data) fail(`public view: ${pub.response.status}`);
switch (pub.data.visibility) {
  case "under_investigation":
    if (!pub.data.publicStatement.includes("no record")) fail("the statement is not shown");
    break;
  default:
    fail(`public view is ${pub.data.visibility}, want under_investigation`);
}

// A POST without a body: claim the oldest open ticket.
const open = await agent.GET("/v1/compliance/tickets", { params: { query: { status: "open" } } });
const tkt = open.data?.items[0]?.id;
if (!tkt) fail("no open ticket");
const claim = await agent.POST("/v1/compliance/tickets/{ticketId}/claim", { params: { path: { ticketId: tkt }, header: {} } });
if (claim.data?.status !== "in_progress") fail(`claim without a body: ${claim.response.status} ${JSON.stringify(claim.error)}`);

console.log("flow: the TypeScript client works end to end");
