import { useSession } from '../../stores/session';
import { failingLabels, NOT_MATCHING } from './bundle-review';

/** While reviewing: the exhibit labels if this item's file failed verification, else null. */
export function useFailingLabels(item: { blob: string } | null | undefined): string[] | null {
  const review = useSession((s) => s.review);
  return failingLabels(review, item ?? null);
}

/** The item view's warning for an exhibit whose file failed verification. */
export function FailingExhibitNotice({ labels }: { labels: string[] }) {
  return (
    <p className="failing-exhibit" role="alert">
      <span aria-hidden="true">⚠ </span>
      Exhibit {labels.join(', ')}: {NOT_MATCHING}
    </p>
  );
}
