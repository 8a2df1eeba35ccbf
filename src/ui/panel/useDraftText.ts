// Text a person is typing may be invalid for a while ("{quest"); the store keeps the last valid value.
// The draft follows the stored value only when that value changes from elsewhere (preset, link).
import { useEffect, useState } from 'react';

export function useDraftText<T>(value: T, error: string | undefined, format: (v: T) => string, parse: (text: string) => T | undefined) {
  const [text, setText] = useState(() => format(value));
  useEffect(() => {
    const parsed = parse(text);
    if (!error && (parsed === undefined || format(parsed) !== format(value))) setText(format(value));
  }, [value, error]);
  return [text, setText] as const;
}
