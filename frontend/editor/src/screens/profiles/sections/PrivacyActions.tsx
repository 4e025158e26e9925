/** Export everything about the customer (a JSON download), or erase it after typing the id. */

import { useState } from "react";
import { eraseProfile, exportProfile } from "../../../api/privacy";
import { useCapabilities } from "../../../capabilities";
import { navigate } from "../../../router";

export function PrivacyActions({ profileId }: { profileId: string }) {
  const capabilities = useCapabilities();
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState("");
  const [message, setMessage] = useState<string | null>(null);

  const download = async () => {
    const data = await exportProfile(profileId);
    const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `cairn-profile-${profileId}.json`;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  const erase = async () => {
    const result = await eraseProfile(profileId);
    if (result.__typename === "ProfileErased") navigate("/profiles");
    else setMessage(result.message);
  };

  return (
    <div className="privacy-actions">
      <button type="button" onClick={download}>Export data</button>
      {capabilities.mutations.has("eraseProfile") && !confirming && (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>Erase…</button>
      )}
      {confirming && (
        <span className="confirm">
          <input aria-label="Type the profile id to confirm" placeholder="type the profile id" value={typed}
            onChange={(event) => setTyped(event.target.value)} />
          <button type="button" className="danger" disabled={typed !== profileId} onClick={erase}>Erase for good</button>
          <button type="button" onClick={() => setConfirming(false)}>Cancel</button>
        </span>
      )}
      {message && <span className="error">{message}</span>}
    </div>
  );
}
