// Package health serves the liveness endpoint that the load balancer polls.
package health

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"time"
)

// Handler reports 200 when the database answers a ping within two seconds, 503 otherwise.
func Handler(db *sql.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		status := http.StatusOK
		body := map[string]string{"status": "ok"}
		if err := db.PingContext(ctx); err != nil {
			status = http.StatusServiceUnavailable
			body = map[string]string{"status": "database unreachable", "error": err.Error()}
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(body)
	}
}
