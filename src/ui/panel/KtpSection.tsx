// The knowledge-transfer prompt (KTP): how the previous answer is handed to the next expert.
import { KTP_PAPER_TEMPLATE, KTP_REFERENCE_TEMPLATE } from '../../der/config';
import { FieldFrame, describedBy } from './FieldFrame';
import { useConfigField } from './useConfigField';
import { useDraftText } from './useDraftText';

export function KtpSection() {
  const template = useConfigField<'reference' | 'paper' | 'custom'>(['ktp', 'template']);
  const custom = useConfigField<string>(['ktp', 'custom']);
  const [customText, setCustomText] = useDraftText(
    custom.value,
    custom.error,
    (v) => v,
    (t) => t,
  );
  const shown = template.value === 'reference' ? KTP_REFERENCE_TEMPLATE : template.value === 'paper' ? KTP_PAPER_TEMPLATE : null;
  return (
    <>
      <FieldFrame
        id="ktpTemplate"
        label="KTP template"
        symbol="KTP"
        labelFor="ktpTemplate-input"
        help="The prompt that gives the next expert the question and the previous answer."
        error={template.error}
      >
        <select
          id="ktpTemplate-input"
          aria-describedby={describedBy('ktpTemplate', template.error)}
          value={template.value}
          onChange={(e) => template.edit(e.target.value)}
        >
          <option value="reference">reference (the authors’ code)</option>
          <option value="paper">paper (as printed)</option>
          <option value="custom">custom</option>
        </select>
      </FieldFrame>
      {shown !== null ? (
        <pre className="template-preview" aria-label="Template text">
          {shown}
        </pre>
      ) : (
        <FieldFrame
          id="ktpCustom"
          label="Custom template"
          labelFor="ktpCustom-input"
          help="Must contain {question} and {previous}."
          error={custom.error ?? template.error}
        >
          <textarea
            id="ktpCustom-input"
            aria-describedby={describedBy('ktpCustom', custom.error)}
            rows={4}
            value={customText}
            onChange={(e) => {
              setCustomText(e.target.value);
              custom.edit(e.target.value);
            }}
          />
        </FieldFrame>
      )}
    </>
  );
}
