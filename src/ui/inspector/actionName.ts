import { STOP_NAME } from '../../der/actions';

/** Name of action index `a`: an expert's name, or STOP for the extra action under the learned stop rule. */
export function actionName(names: readonly string[], a: number): string {
  return names[a] ?? (a === names.length ? STOP_NAME : `#${a}`);
}
