// Executions per second of the 20-state Pass/Choice/Task machine
// (../testdata/bench20.asl.json) on aws-local-stepfunctions 3.0.0, run the
// way the Go benchmark runs it: one execution at a time, then 100 at once.
// Task states are overridden with a local handler that does what the Go
// benchmark's "Step" function does (n + 1).
//
//   npm install && node bench.mjs [seconds per run, default 5]
import './polyfill.mjs';
import { readFile } from 'node:fs/promises';
import { StateMachine } from 'aws-local-stepfunctions';

const definition = JSON.parse(await readFile(new URL('../testdata/bench20.asl.json', import.meta.url), 'utf8'));
const seconds = Number(process.argv[2] ?? 5);
const states = Object.keys(definition.States).length;

const step = async (input) => ({ n: input.n + 1, last: input.last });
const taskResourceLocalHandlers = Object.fromEntries(
  Object.entries(definition.States).filter(([, s]) => s.Type === 'Task').map(([name]) => [name, step]),
);
const machine = new StateMachine(definition);

async function runOnce() {
  const { result } = machine.run({ n: 0 }, { overrides: { taskResourceLocalHandlers } });
  const out = await result;
  if (out.n !== 6 || out.last !== 'P8') throw new Error(`unexpected output ${JSON.stringify(out)}`);
}

async function measure(concurrent) {
  for (let i = 0; i < 200; i++) await runOnce(); // warm up
  let runs = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(seconds * 1e9);
  while (process.hrtime.bigint() < deadline) {
    await Promise.all(Array.from({ length: concurrent }, runOnce));
    runs += concurrent;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  const perSec = runs / elapsed;
  console.log(`aws-local-stepfunctions 3.0.0, concurrent=${concurrent}: ${runs} executions in ${elapsed.toFixed(2)} s = ${perSec.toFixed(0)} executions/s, ${(perSec * states).toFixed(0)} transitions/s`);
}

console.log(`node ${process.version}, ${states} states per execution`);
await measure(1);
await measure(100);
