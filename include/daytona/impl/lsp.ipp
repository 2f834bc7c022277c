// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of lsp.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_LSP_IPP
#define DAYTONA_IMPL_LSP_IPP

#include "daytona/api/toolbox/lsp.hpp"
#include "daytona/lsp.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

std::string lsp_server::uri_of(std::string_view path) const {
    if (path.starts_with("file://")) return std::string(path);
    std::string out = "file://";
    if (!path.starts_with("/")) {
        out += server_.path_to_project;
        if (!out.ends_with("/")) out += '/';
    }
    out += path;
    return out;
}

std::optional<error> lsp_server::check(const lsp_server_request& r, std::string_view operation) {
    if (r.language_id == "python" || r.language_id == "typescript" || r.language_id == "javascript")
        return std::nullopt;
    return error(make_error_code(errc::invalid_argument),
                 error_info{.message = "unsupported language '" + r.language_id +
                                       "' (python, typescript and javascript are)",
                            .operation = std::string(operation)});
}

asio::awaitable<result<void>> lsp_server::start_op(api::channel ch, lsp_server_request r) {
    co_return co_await api::lsp_start(ch, r);
}

asio::awaitable<result<void>> lsp_server::stop_op(api::channel ch, lsp_server_request r) {
    co_return co_await api::lsp_stop(ch, r);
}

asio::awaitable<result<void>> lsp_server::did_open_op(api::channel ch, lsp_document_request r) {
    co_return co_await api::lsp_did_open(ch, r);
}

asio::awaitable<result<void>> lsp_server::did_close_op(api::channel ch, lsp_document_request r) {
    co_return co_await api::lsp_did_close(ch, r);
}

asio::awaitable<result<std::vector<lsp_symbol>>> lsp_server::document_symbols_op(
    api::channel ch, lsp_document_request r) {
    co_return co_await api::lsp_document_symbols(ch, r);
}

asio::awaitable<result<void>> lsp_server::server_call(
    state_ptr c, data_ptr s, lsp_server_request r, const char* operation,
    asio::awaitable<result<void>> (*op)(api::channel, lsp_server_request)) {
    if (auto e = check(r, operation)) co_return std::move(*e);
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    co_return co_await op(std::move(*ch), std::move(r));
}

asio::awaitable<result<lsp_completion_list>> lsp_server::completions_impl(state_ptr c, data_ptr s,
                                                                          lsp_server_request r,
                                                                          std::string path,
                                                                          lsp_position at) {
    if (auto e = check(r, "lsp_completions")) co_return std::move(*e);
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    lsp_server self(c, s, r.language_id, r.path_to_project);
    lsp_completion_params p;
    p.uri = self.uri_of(path);
    p.language_id = std::move(r.language_id);
    p.path_to_project = std::move(r.path_to_project);
    p.position = at;
    co_return co_await api::lsp_completions(*ch, p);
}

asio::awaitable<result<std::vector<lsp_symbol>>> lsp_server::workspace_impl(state_ptr c, data_ptr s,
                                                                            lsp_server_request r,
                                                                            std::string query) {
    if (auto e = check(r, "lsp_workspace_symbols")) co_return std::move(*e);
    auto ch = co_await detail::toolbox_channel(c, s, {});
    if (!ch) co_return std::move(ch).error();
    co_return co_await api::lsp_workspace_symbols(*ch, r, query);
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_IMPL_LSP_IPP
