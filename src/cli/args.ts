// Shared command-line parsing helpers: numbers are validated so a typo gets a clear message, every
// command answers --help, and any error (a bad argument, an unreadable file, a failing network) ends
// the command with ONE line on stderr and a non-zero exit code; the stack trace only with DEBUG=1.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Exit code of a usage error (bad argument); other failures exit with 1. */
export const USAGE_EXIT = 2;

/** A message as one line: newlines become "; ", runs of spaces one space. */
export function oneLine(message: string): string {
  return message
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join('; ')
    .replace(/[ \t]+/g, ' ');
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

let handlersInstalled = false;

/**
 * Any error nobody caught (a rejected top-level await included) becomes `error: <one line>` and
 * exit code 1. DEBUG=1 prints the stack instead, for bug reports.
 */
export function installCliErrorHandler(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const report = (err: unknown) => {
    if (process.env.DEBUG === '1') process.stderr.write(`${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
    else process.stderr.write(`error: ${oneLine(messageOf(err))}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', report);
  process.on('unhandledRejection', report);
}

export interface CliOptions {
  /** Printed for --help / -h (exit 0). */
  usage?: string;
  argv?: string[];
}

export function parseCli<T extends NonNullable<ParseArgsConfig['options']>>(options: T, cli: CliOptions = {}) {
  installCliErrorHandler();
  const argv = cli.argv ?? process.argv.slice(2);
  if (cli.usage !== undefined && (argv.includes('--help') || argv.includes('-h'))) {
    process.stdout.write(cli.usage.endsWith('\n') ? cli.usage : `${cli.usage}\n`);
    process.exit(0);
  }
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    fail(`${messageOf(err)}${cli.usage !== undefined ? ' (see --help)' : ''}`);
  }
}

export function numberArg(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) fail(`--${name} must be a number, got "${value}"`);
  return n;
}

/** A bad argument or input: one line on stderr, exit code 2. */
export function fail(message: string): never {
  process.stderr.write(`error: ${oneLine(message)}\n`);
  process.exit(USAGE_EXIT);
}
