// SPDX-License-Identifier: Apache-2.0
// Client TLS: an OpenSSL context that verifies certificates, plus per-connection SNI and
// host-name checks.
#ifndef DAYTONA_NET_TLS_CONTEXT_HPP
#define DAYTONA_NET_TLS_CONTEXT_HPP

#include "daytona/config.hpp"
#include "daytona/error.hpp"
#include "daytona/net/asio_compat.hpp"
#include "daytona/options.hpp"
#include "daytona/result.hpp"

#include <openssl/ssl.h>
#include <asio/ssl/context.hpp>

#include <memory>
#include <string>
#include <system_error>

DAYTONA_BEGIN_NAMESPACE
namespace net {

/**
 * \brief Creates the TLS context for client connections.
 * \details TLS 1.2 or newer; trusts the system store plus `ca_file` / `ca_path`; verifies the
 * peer unless `danger_accept_invalid_certificates` is set.
 * \par Errors
 * errc::invalid_argument when a CA file or directory cannot be loaded.
 */
DAYTONA_DECL result<std::shared_ptr<asio::ssl::context>> make_tls_context(const tls_options& opts);

/// Sets SNI (for names, not IP literals) and makes OpenSSL check that the certificate matches
/// `host` during the handshake.
DAYTONA_DECL result<void> prepare_tls_session(SSL* ssl, const std::string& host, bool verify_host);

/// A readable reason for a failed handshake: the certificate verification result when there is
/// one ("Hostname mismatch", "self-signed certificate"), else the transport error.
DAYTONA_DECL std::string tls_failure_reason(SSL* ssl, const std::error_code& ec);

}  // namespace net
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/net/impl/tls_context.ipp"
#endif

#endif  // DAYTONA_NET_TLS_CONTEXT_HPP
