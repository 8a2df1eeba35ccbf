// The frame every control shares: label (the accessible name), the paper's symbol, a one-line
// explanation and, when a value was refused, the reason right under the control.
import type { ReactNode } from 'react';

export interface FieldFrameProps {
  id: string;
  label: string;
  /** Which element the <label> names (the number input of a slider pair, the select, ...). */
  labelFor: string;
  symbol?: string;
  help: string;
  error?: string;
  inline?: boolean;
  children: ReactNode;
}

export function FieldFrame({ id, label, labelFor, symbol, help, error, inline, children }: FieldFrameProps) {
  const labelElement = (
    <label id={`${id}-label`} htmlFor={labelFor}>
      {label}
    </label>
  );
  return (
    <div className={`field${inline ? ' field-inline' : ''}${error ? ' field-invalid' : ''}`} data-control={id}>
      {inline ? (
        <div className="field-row">
          {children}
          {labelElement}
          {symbol && (
            <span className="symbol" title="symbol in the paper">
              {symbol}
            </span>
          )}
        </div>
      ) : (
        <>
          <div className="field-head">
            {labelElement}
            {symbol && (
              <span className="symbol" title="symbol in the paper">
                {symbol}
              </span>
            )}
          </div>
          <div className="field-row">{children}</div>
        </>
      )}
      <p className="help" id={`${id}-help`}>
        {help}
      </p>
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** aria-describedby for a control: its help line, and its error when there is one. */
export function describedBy(id: string, error: string | undefined): string {
  return error ? `${id}-help ${id}-error` : `${id}-help`;
}
