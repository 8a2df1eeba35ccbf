// Runs the loopback OpenAI-compatible test server on its own (for e2e tests and the benchmark).
//   npx tsx scripts/openai-test-server.ts [--port 8787] [--host 127.0.0.1] [--latency 20] [--api-key KEY] [--no-cors] [--models a,b]
//                                         [--fault '{"status":500,"share":0.3}']…  (faults from the start; repeatable)
// Prints one line `OPENAI_TEST_SERVER_URL=<url>` once it listens, so a parent process can read it.
// Faults can be injected at run time: POST <origin>/__control/faults with a Fault JSON body.
import { startOpenAITestServer, type Fault, type TestServerOptions } from '../tests/support/openaiTestServer';

const faults: Fault[] = [];

function parseArgs(argv: string[]): TestServerOptions {
  const options: TestServerOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    switch (arg) {
      case '--port':
        options.port = Number(value());
        break;
      case '--host':
        options.host = value();
        break;
      case '--latency':
        options.latencyMs = Number(value());
        break;
      case '--api-key':
        options.apiKey = value();
        break;
      case '--models':
        options.models = value().split(',').filter(Boolean);
        break;
      case '--no-cors':
        options.cors = false;
        break;
      case '--fault':
        faults.push(JSON.parse(value()) as Fault);
        break;
      default:
        throw new Error(`unknown option ${arg} (known: --port --host --latency --api-key --models --no-cors --fault JSON)`);
    }
  }
  return options;
}

const server = await startOpenAITestServer(parseArgs(process.argv.slice(2)));
for (const fault of faults) server.injectFault(fault);
console.log(`OPENAI_TEST_SERVER_URL=${server.url}`);
const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
