// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of net/tls_context.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_NET_IMPL_TLS_CONTEXT_IPP
#define DAYTONA_NET_IMPL_TLS_CONTEXT_IPP

#include "daytona/net/tls_context.hpp"

#include <openssl/x509v3.h>
#include <asio/ip/address.hpp>

DAYTONA_BEGIN_NAMESPACE
namespace net {

result<std::shared_ptr<asio::ssl::context>> make_tls_context(const tls_options& opts) {
    auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    std::error_code ec;
    ctx->set_default_verify_paths(ec);  // a machine without a store still works with ca_file
    if (!opts.ca_file.empty()) {
        ctx->load_verify_file(opts.ca_file, ec);
        if (ec)
            return error(make_error_code(errc::invalid_argument),
                         "cannot load CA file '" + opts.ca_file + "': " + ec.message());
    }
    if (!opts.ca_path.empty()) {
        ctx->add_verify_path(opts.ca_path, ec);
        if (ec)
            return error(make_error_code(errc::invalid_argument),
                         "cannot use CA directory '" + opts.ca_path + "': " + ec.message());
    }
    ctx->set_verify_mode(opts.danger_accept_invalid_certificates ? asio::ssl::verify_none
                                                                 : asio::ssl::verify_peer);
    return ctx;
}

result<void> prepare_tls_session(SSL* ssl, const std::string& host, bool verify_host) {
    std::error_code ec;
    auto addr = asio::ip::make_address(host, ec);
    const bool is_ip = !ec;
    if (!is_ip && SSL_set_tlsext_host_name(ssl, host.c_str()) != 1)
        return error(make_error_code(errc::tls_handshake_failed), "cannot set SNI for " + host);
    if (!verify_host) return {};
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    int ok = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                   : X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
    if (ok != 1)
        return error(make_error_code(errc::tls_handshake_failed),
                     "cannot set the expected host name " + host);
    (void)addr;
    return {};
}

std::string tls_failure_reason(SSL* ssl, const std::error_code& ec) {
    long v = SSL_get_verify_result(ssl);
    if (v != X509_V_OK)
        return std::string("certificate verification failed: ") + X509_verify_cert_error_string(v);
    return ec.message();
}

}  // namespace net
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_NET_IMPL_TLS_CONTEXT_IPP
