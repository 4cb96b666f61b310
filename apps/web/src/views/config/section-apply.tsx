/** The submit button of a config section's form: disabled without the token or while saving. */
export function ApplyButton({
  label,
  pending,
  canChange,
}: {
  label: string;
  pending: boolean;
  canChange: boolean;
}) {
  return (
    <button
      type="submit"
      className="primary"
      disabled={!canChange || pending}
      style={{ marginTop: 17 }}
    >
      {pending ? 'Applying…' : label}
    </button>
  );
}

/** Agent errors that name no field of the form, shown under it. */
export function SectionErrors({ messages }: { messages: string[] }) {
  return messages.map((m) => (
    <div key={m} className="field-error" role="alert">
      {m}
    </div>
  ));
}
