// One way to pick a file: a button that opens the browser's file chooser (a hidden file input).
// The chosen file goes to onFile, and the input is cleared so the same file can be chosen again.
// With no children there is no button: the owner opens the chooser through the ref's open()
// (e.g. one "Attach weights" chooser shared by every row of a table).
import { useImperativeHandle, useRef, type ReactNode, type Ref } from 'react';

export interface FileButtonHandle {
  open(): void;
}

export interface FileButtonProps {
  /** The button's content; omit it to open the chooser only through `ref`. */
  children?: ReactNode;
  /** Which files the chooser offers (the input's accept attribute). */
  accept: string;
  /** The input's accessible name (what screen readers and tests find it by). */
  inputLabel: string;
  onFile(file: File): void;
  testId?: string;
  className?: string;
  ref?: Ref<FileButtonHandle>;
}

export function FileButton({ children, accept, inputLabel, onFile, testId, className, ref }: FileButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  useImperativeHandle(ref, () => ({ open: () => input.current?.click() }), []);
  return (
    <>
      {children !== undefined && (
        <button type="button" className={className} onClick={() => input.current?.click()}>
          {children}
        </button>
      )}
      <input
        ref={input}
        type="file"
        accept={accept}
        aria-label={inputLabel}
        data-testid={testId}
        hidden
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onFile(file);
        }}
      />
    </>
  );
}
