// A collapsible section of the experiment panel; lesson mode can hide it whole.
import type { ReactNode } from 'react';
import { useHidden } from './useConfigField';

export function PanelSection({ id, title, open = false, children }: { id: string; title: string; open?: boolean; children: ReactNode }) {
  if (useHidden(id)) return null;
  return (
    <details className="panel-section" data-section={id} open={open}>
      <summary>{title}</summary>
      <div role="group" aria-label={title} className="panel-section-body">
        {children}
      </div>
    </details>
  );
}
