// A client-sent value quoted for an error message: JSON, cut short, and never a failure itself
// (JSON.stringify of a value nested thousands deep overflows the stack: that answered 500).
const MAX = 200;

export function quote(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return Array.isArray(value) ? '(a deeply nested array)' : '(a deeply nested value)';
  }
  if (text === undefined) return String(value);
  return text.length > MAX ? `${text.slice(0, MAX)}…` : text;
}
