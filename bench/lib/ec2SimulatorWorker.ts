// Runs the simulator server for startEc2SimulatorThread (a worker thread: parentPort) or
// startEc2SimulatorProcess (a child process: process.send), and answers endpoint/stats/reset/close.
import { parentPort, workerData } from 'node:worker_threads';
import { startEc2Simulator } from './ec2Simulator.ts';

type Message = {
  id: number;
  op: string;
  options?: Parameters<typeof startEc2Simulator>[0];
};

let ready: ReturnType<typeof startEc2Simulator> | undefined = parentPort
  ? startEc2Simulator(workerData)
  : undefined;

async function answer(m: Message): Promise<unknown> {
  if (m.op === 'start') ready = startEc2Simulator(m.options!);
  const sim = await ready!;
  if (m.op === 'stats') return sim.stats();
  if (m.op === 'reset') return sim.reset();
  if (m.op === 'close') return sim.close();
  return sim.endpoint;
}

if (parentPort) {
  const port = parentPort;
  port.on('message', async (m: Message) =>
    port.postMessage({ id: m.id, value: await answer(m) }),
  );
} else {
  process.on('message', async (m: Message) => {
    const value = await answer(m);
    process.send!({ id: m.id, value });
    if (m.op === 'close') process.disconnect?.();
  });
}
