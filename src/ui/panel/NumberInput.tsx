// A number box that keeps what the person typed (even "0." or "1e") while the store keeps the last
// valid number; the box is reset to the stored value when that changes from elsewhere.
import { useState, type InputHTMLAttributes } from 'react';
import { parseNumberInput } from '../../store/configEdit';

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  return Math.abs(value) !== 0 && Math.abs(value) < 1e-3 ? value.toExponential() : String(value);
}

interface NumberInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> {
  value: number;
  error: string | undefined;
  onNumber: (value: number) => void;
}

export function NumberInput({ value, error, onNumber, ...rest }: NumberInputProps) {
  const [text, setText] = useState(formatNumber(value));
  // The typed text only follows the value when the value moved on its own; adjusted while rendering
  // when value or error changed (React's pattern for state that follows a prop).
  const [seen, setSeen] = useState({ value, error });
  if (!Object.is(seen.value, value) || seen.error !== error) {
    setSeen({ value, error });
    if (!error && parseNumberInput(text) !== value) setText(formatNumber(value));
  }
  return (
    <input
      {...rest}
      type="text"
      inputMode="decimal"
      className="number-input"
      aria-invalid={error ? true : undefined}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onNumber(parseNumberInput(e.target.value));
      }}
    />
  );
}
