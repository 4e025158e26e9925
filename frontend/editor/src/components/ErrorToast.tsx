/** Shows the message of an action that failed unexpectedly (an unhandled rejection), until dismissed. */

import { useEffect, useState } from "react";

export function ErrorToast() {
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    const show = (event: PromiseRejectionEvent) => {
      const reason = event.reason as unknown;
      setMessage(reason instanceof Error ? reason.message : String(reason));
    };
    window.addEventListener("unhandledrejection", show);
    return () => window.removeEventListener("unhandledrejection", show);
  }, []);
  if (!message) return null;
  return (
    <div className="toast" role="alert">
      <span>{message}</span>
      <button type="button" className="small" onClick={() => setMessage(null)} aria-label="Dismiss">×</button>
    </div>
  );
}
