// zod 4 compiles object parsers with `new Function` when it may; probing for that is caught, but
// a strict Content-Security-Policy (see .env) still reports it as a violation. The page parses
// without the JIT (imported first by main.tsx, before any schema is used).
import { z } from 'zod';

z.config({ jitless: true });
