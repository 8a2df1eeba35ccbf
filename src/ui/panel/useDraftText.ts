// Text a person is typing may be invalid for a while ("{quest"); the store keeps the last valid value.
// The draft follows the stored value only when that value changes from elsewhere (preset, link).
import { useState } from 'react';

export function useDraftText<T>(value: T, error: string | undefined, format: (v: T) => string, parse: (text: string) => T | undefined) {
  const [text, setText] = useState(() => format(value));
  // Adjusted while rendering when value or error changed (React's pattern for state that follows a prop).
  const [seen, setSeen] = useState({ value, error });
  if (!Object.is(seen.value, value) || seen.error !== error) {
    setSeen({ value, error });
    const parsed = parse(text);
    if (!error && (parsed === undefined || format(parsed) !== format(value))) setText(format(value));
  }
  return [text, setText] as const;
}
