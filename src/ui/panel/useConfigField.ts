// One control's view of the config store: its current (valid) value, its error, and an edit action.
import { getAt, pathKey, type ConfigPath } from '../../store/configEdit';
import { useConfigStore } from '../../store/configStore';

export function useConfigField<T>(path: ConfigPath): { value: T; error: string | undefined; edit: (value: unknown) => boolean } {
  const key = pathKey(path);
  const value = useConfigStore((s) => getAt(s.config, path)) as T;
  const error = useConfigStore((s) => s.errors[key]);
  const edit = useConfigStore((s) => s.edit);
  return { value, error, edit: (next: unknown) => edit(path, next) };
}

/** Lesson mode: is this control (or its section) hidden? */
export function useHidden(...ids: string[]): boolean {
  return useConfigStore((s) => ids.some((id) => s.hidden.includes(id)));
}
