// Export and import of the expert response cache (IndexedDB, shared with the worker) as a JSONL
// file, so a recorded run can be replayed elsewhere at zero cost. An import is checked line by
// line first; a bad file changes nothing.
import { useEffect, useState } from 'react';
import { cachedAnswerCount, exportResponseCache, importResponseCache } from '../../store/responseCacheAccess';
import { useTrainingStore } from '../../store/trainingStore';
import { downloadText } from '../download';
import { errorMessage } from '../../der/errorMessage';
import { FileButton } from '../controls/FileButton';

export function CachePanel() {
  const [entries, setEntries] = useState<number | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  // The worker writes the cache as training goes: count again when the state or the pool's calls change.
  const trainingState = useTrainingStore((s) => s.state);
  const networkCalls = useTrainingStore((s) => s.poolStatus?.networkCalls ?? 0);
  const refresh = () => cachedAnswerCount().then(setEntries, () => setEntries(null));
  useEffect(() => {
    void refresh();
  }, [trainingState, networkCalls]);

  const onExport = async () => {
    try {
      const { text, count } = await exportResponseCache();
      downloadText(`der-response-cache-${new Date().toISOString().slice(0, 10)}.jsonl`, text, 'application/x-ndjson');
      setMessage({ text: `Exported ${count} cached answer(s).`, error: false });
    } catch (error) {
      setMessage({ text: `Export failed: ${errorMessage(error)}`, error: true });
    }
  };

  const onImport = async (file: File) => {
    try {
      const { imported } = await importResponseCache(await file.text());
      setMessage({ text: `Imported ${imported} cached answer(s) from ${file.name}.`, error: false });
    } catch (error) {
      setMessage({ text: errorMessage(error), error: true });
    }
    await refresh();
  };

  return (
    <section className="cache-panel" aria-label="Response cache">
      <h3>Response cache</h3>
      <p className="help">
        Answers of remote experts are cached in this browser: a repeated call costs nothing. <span data-testid="cache-entries">{entries ?? '—'}</span> cached
        answer(s).
      </p>
      <div className="cache-actions">
        <button type="button" onClick={() => void onExport()}>
          Export cache
        </button>
        <FileButton
          accept=".jsonl,.ndjson,application/x-ndjson,text/plain"
          inputLabel="Cache file"
          testId="cache-import-input"
          onFile={(file) => void onImport(file)}
        >
          Import cache…
        </FileButton>
        <button type="button" onClick={() => void refresh()} aria-label="Refresh cache count">
          ↻
        </button>
      </div>
      {message && (
        <p
          className={message.error ? 'error' : 'help'}
          role={message.error ? 'alert' : 'status'}
          data-testid="cache-message"
          style={{ whiteSpace: 'pre-wrap' }}
        >
          {message.text}
        </p>
      )}
    </section>
  );
}
