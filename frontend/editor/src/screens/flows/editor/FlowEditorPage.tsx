/** /flows/:id — loads the flow and the node catalogue, then opens the editor. */

import { getFlow, nodeTypes } from "../../../api/flows";
import { ErrorBox, Loading } from "../../../components/Feedback";
import { useAsync } from "../../../lib/useAsync";
import { FlowEditor } from "./FlowEditor";

export default function FlowEditorPage({ params }: { params: Record<string, string> }) {
  const loaded = useAsync(async () => {
    const [flow, types] = await Promise.all([getFlow(params.id), nodeTypes()]);
    return { flow, types };
  }, [params.id]);
  if (loaded.error) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  if (!loaded.data) return <Loading what="flow" />;
  if (!loaded.data.flow) return <ErrorBox title="Flow not found" error={`No flow has the id ${params.id}.`} />;
  return <FlowEditor flow={loaded.data.flow} nodeTypes={loaded.data.types} />;
}
