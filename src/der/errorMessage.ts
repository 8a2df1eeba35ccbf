// The message of anything thrown: an Error's message, a string as is, anything else as text.
// `catch (err)` gives `unknown`; this replaces the unchecked `(err as Error).message` casts, which
// print "undefined" when a library throws a string or a plain object.

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  if (err !== null && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string') return (err as { message: string }).message;
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}
