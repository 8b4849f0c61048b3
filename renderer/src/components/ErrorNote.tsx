/** An API error in plain words, announced to screen readers. */
export function ErrorNote({ message, id }: { message: string | null; id?: string }) {
  if (!message) return null;
  return (
    <p className="error" role="alert" id={id}>
      {message}
    </p>
  );
}
