/** When the customer entered and left segments. */

import { profileSegmentHistory } from "../../../api/segments";
import { ErrorBox } from "../../../components/Feedback";
import { formatDate } from "../../../lib/format";
import { useAsync } from "../../../lib/useAsync";

export function SegmentHistory({ profileId }: { profileId: string }) {
  const history = useAsync(() => profileSegmentHistory(profileId, 20), [profileId]);
  if (history.error) return <ErrorBox error={history.error} />;
  if (!history.data?.length) return null;
  return (
    <details>
      <summary>Segment history ({history.data.length})</summary>
      <ul className="small">{history.data.map((change) => (
        <li key={change.id}>{formatDate(change.at)} — {change.change === "ENTERED" ? "entered" : "left"}
          {" "}<strong>{change.segmentName}</strong> <span className="muted">({change.reason})</span></li>
      ))}</ul>
    </details>
  );
}
