// Keyboard-operable tabs (WAI-ARIA tabs pattern): buttons with role="tab" and aria-selected;
// Left/Right/Home/End move between tabs. Only the selected panel is rendered, so the charts of
// hidden tabs cost nothing while training.
import { useRef, type KeyboardEvent } from 'react';

export interface TabDef<K extends string> {
  key: K;
  label: string;
}

export interface TabsProps<K extends string> {
  tabs: readonly TabDef<K>[];
  selected: K;
  onSelect(key: K): void;
  label: string;
}

export function Tabs<K extends string>({ tabs, selected, onSelect, label }: TabsProps<K>) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (e: KeyboardEvent, index: number) => {
    const last = tabs.length - 1;
    const next =
      e.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : e.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : -1;
    if (next < 0) return;
    e.preventDefault();
    onSelect(tabs[next].key);
    refs.current[next]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {tabs.map((t, i) => (
        <button
          key={t.key}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${t.key}`}
          aria-selected={t.key === selected}
          aria-controls={`tabpanel-${t.key}`}
          tabIndex={t.key === selected ? 0 : -1}
          onClick={() => onSelect(t.key)}
          onKeyDown={(e) => onKeyDown(e, i)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
