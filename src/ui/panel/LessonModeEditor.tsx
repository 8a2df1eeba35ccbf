// Lesson mode: a teacher ticks the controls to hide, then copies the link; students opening it see
// only what the lesson is about (the hide list travels in the hash: `&hide=alpha,pool`).
import { useConfigStore } from '../../store/configStore';
import { SECTIONS } from './controlCatalog';
import { CopyLinkButton } from './CopyLinkButton';

export function LessonModeEditor() {
  const hidden = useConfigStore((s) => s.hidden);
  const toggleHidden = useConfigStore((s) => s.toggleHidden);
  const setHidden = useConfigStore((s) => s.setHidden);
  const box = (id: string, label: string) => (
    <label className="lesson-item" key={id}>
      <input type="checkbox" checked={hidden.includes(id)} onChange={() => toggleHidden(id)} /> Hide {label}
    </label>
  );
  return (
    <details className="panel-section lesson-mode" data-section="lesson">
      <summary>Lesson mode{hidden.length > 0 ? ` (${hidden.length} hidden)` : ''}</summary>
      <div role="group" aria-label="Lesson mode" className="panel-section-body">
        <p className="help">Tick what students should not see, then copy the link. Hidden controls keep their values.</p>
        {SECTIONS.map((section) => (
          <fieldset key={section.id} className="lesson-section">
            <legend>{section.title}</legend>
            {box(section.id, `section “${section.title}”`)}
            {!hidden.includes(section.id) && section.controls.map((c) => box(c.id, c.label))}
          </fieldset>
        ))}
        <div className="lesson-actions">
          <CopyLinkButton label="Copy lesson link" />
          <button type="button" onClick={() => setHidden([])} disabled={hidden.length === 0}>
            Show all controls
          </button>
        </div>
      </div>
    </details>
  );
}
