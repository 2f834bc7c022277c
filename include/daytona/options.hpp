// SPDX-License-Identifier: Apache-2.0
// Option aggregates: client-wide defaults, per-call overrides, retries, polling and TLS.
#ifndef DAYTONA_OPTIONS_HPP
#define DAYTONA_OPTIONS_HPP

#include "daytona/config.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <type_traits>

DAYTONA_BEGIN_NAMESPACE

/**
 * \brief When and how often a failed request is tried again.
 * \details Only failures that cannot have changed server state are retried: connect-phase
 * failures for any method; a reset or closed connection before any response byte for idempotent
 * requests (GET, HEAD, PUT, DELETE, operations declared idempotent such as start or set-labels,
 * or `request_options::idempotent`); 429 for any method and 502/503/504 for idempotent ones. A
 * server's `Retry-After` is waited out exactly, never retried early. A request whose body comes
 * from a non-rewindable stream is never retried once sent. When the attempts run out the error is
 * errc::retry_exhausted (its cause, and condition comparisons, are the last failure's).
 */
struct retry_options {
    /// Attempts in total, including the first. Default 3, as the official SDKs. 1 disables retries.
    int max_attempts = 3;
    /// Backoff before the first retry. Default 250 ms; doubles per retry, with jitter.
    std::chrono::milliseconds initial_backoff{250};
    /// Upper bound on one computed backoff. Default 8 s.
    std::chrono::milliseconds max_backoff{8000};
    /// Longest `Retry-After` the client waits out before retrying; a server asking for more gets
    /// its answer reported at once (the error's retry_after says how long). Default 60 s.
    std::chrono::milliseconds max_retry_after{60'000};
    /// Upper bound on the whole call, backoffs and server waits included. Default 0: only
    /// max_attempts bounds it.
    std::chrono::milliseconds max_elapsed{0};

    /// No retries at all.
    static retry_options none() { return retry_options{.max_attempts = 1}; }
};

/**
 * \brief How state waits poll ("wait until started").
 * \details The interval is `initial_interval` for the first `steady_for`, then grows by
 * `multiplier` after every poll, up to `max_interval`: the official SDKs' cadence (100 ms for
 * 5 s, then ×1.1 up to 1 s).
 */
struct polling_options {
    /// Interval between polls at first. Default 100 ms.
    std::chrono::milliseconds initial_interval{100};
    /// How long the interval stays at initial_interval. Default 5 s.
    std::chrono::milliseconds steady_for{5000};
    /// Largest interval between polls. Default 1 s.
    std::chrono::milliseconds max_interval{1000};
    /// Growth factor applied after each poll. Default 1.1.
    double multiplier = 1.1;
};

/// TLS settings. Certificates and host names are verified against the system store by default.
struct tls_options {
    /// PEM file of trusted CA certificates, used in addition to the system store. Default: none.
    std::string ca_file{};
    /// Directory of hashed CA certificates (OpenSSL c_rehash layout). Default: none.
    std::string ca_path{};
    /// Accept any certificate and any host name. Default false. This removes all protection
    /// against a man in the middle; it exists for throwaway test setups only.
    bool danger_accept_invalid_certificates = false;
};

/// Per-call overrides of client_options. Unset fields take the client's value.
struct request_options {
    /// Deadline for one attempt (connect, send and receive). Default:
    /// client_options::request_timeout.
    std::optional<std::chrono::milliseconds> timeout{};
    /// Retry policy for this call. Default: client_options::retry.
    std::optional<retry_options> retry{};
    /// Treat this request as idempotent, so that it may be retried after it was sent. Default
    /// false; set it only when repeating the call cannot do harm.
    bool idempotent = false;
};

// Public awaitables take request_options as a defaulted argument. That is safe only because it
// is trivially destructible: GCC 12 destroys a defaulted argument with a non-trivial destructor
// twice when the call is inside `co_await` (aggregates with strings get overloads instead).
static_assert(std::is_trivially_destructible_v<request_options>);

/**
 * \brief Everything a daytona::client needs to reach Daytona.
 * \details Precedence, as in the official SDKs: per-call request_options, then these fields, then
 * the environment (only through from_env()), then the defaults written here.
 */
struct client_options {
    /// Base URL of the Daytona API, path included. Default `https://app.daytona.io/api`.
    std::string api_url = "https://app.daytona.io/api";
    /// API key, sent as `Authorization: Bearer`. Default: none.
    std::string api_key{};
    /// JWT used instead of an API key; needs organization_id. Default: none.
    std::string jwt_token{};
    /// Organization for JWT auth, sent as X-Daytona-Organization-ID. Default: none.
    std::string organization_id{};
    /// Region for new sandboxes (`target` in CreateSandbox). Default: none (the server's default).
    std::string target{};
    /// Deadline for resolving and connecting (and the TLS handshake). Default 10 s.
    std::chrono::milliseconds connect_timeout{10'000};
    /// Deadline for one attempt of one request; 0 means none. Default 60 s. Command execution
    /// derives its own deadline from the command timeout (see process::exec).
    std::chrono::milliseconds request_timeout{60'000};
    /// Retry policy. Default: 3 attempts, 250 ms initial backoff.
    retry_options retry{};
    /// Poll cadence for state waits. Default: 100 ms growing ×1.1 to 1 s.
    polling_options polling{};
    /// Waits listen on Daytona's event channel (Socket.IO over a WebSocket, one per client,
    /// open while any wait runs) and resume as soon as the state changes, polling only once a
    /// second as a safety net; where the server refuses the channel they poll at `polling`'s
    /// cadence. false: always poll. Default true.
    bool state_events = true;
    /// TLS verification settings. Default: verify against the system store.
    tls_options tls{};
    /// Largest number of open connections to one origin; further requests wait. Default 64.
    std::size_t max_connections_per_origin = 64;
    /// An idle pooled connection older than this is closed instead of reused. Default 30 s.
    std::chrono::milliseconds idle_timeout{30'000};
    /// Limit on a response's status line plus headers. Default 64 KiB.
    std::size_t max_header_bytes = 64 * 1024;
    /// Limit on a response body held in memory (streamed bodies are not limited). Default 256 MiB.
    std::size_t max_body_bytes = 256 * 1024 * 1024;
    /// Append a trace line (JSON) for every request to this file; see api/trace.hpp for the
    /// format. Default: none. `DAYTONA_TRACE=<file>` in the environment does the same for every
    /// client, however its options were built; with both set, both files get every line.
    std::string trace_file{};

    /**
     * \brief Options filled from the environment, with defaults for what is unset.
     * \details Reads DAYTONA_API_KEY, DAYTONA_JWT_TOKEN, DAYTONA_ORGANIZATION_ID, DAYTONA_API_URL
     * (or the deprecated DAYTONA_SERVER_URL) and DAYTONA_TARGET. Missing credentials are
     * reported by the first operation (errc::missing_credentials), not here. A JWT set
     * explicitly afterwards wins over an API key that came from the environment.
     */
    static DAYTONA_DECL client_options from_env();
};

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/options.ipp"
#endif

#endif  // DAYTONA_OPTIONS_HPP
