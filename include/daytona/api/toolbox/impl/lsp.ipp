// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of api/toolbox/lsp.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_API_TOOLBOX_IMPL_LSP_IPP
#define DAYTONA_API_TOOLBOX_IMPL_LSP_IPP

#include "daytona/api/toolbox/lsp.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace api {

asio::awaitable<result<void>> lsp_start(const channel& c, const lsp_server_request& r,
                                        request_options ro) {
    return invoke<void>(c, ops::lsp_start, {}, json_body(r), ro);
}

asio::awaitable<result<void>> lsp_stop(const channel& c, const lsp_server_request& r,
                                       request_options ro) {
    return invoke<void>(c, ops::lsp_stop, {}, json_body(r), ro);
}

asio::awaitable<result<void>> lsp_did_open(const channel& c, const lsp_document_request& r,
                                           request_options ro) {
    return invoke<void>(c, ops::lsp_did_open, {}, json_body(r), ro);
}

asio::awaitable<result<void>> lsp_did_close(const channel& c, const lsp_document_request& r,
                                            request_options ro) {
    return invoke<void>(c, ops::lsp_did_close, {}, json_body(r), ro);
}

asio::awaitable<result<lsp_completion_list>> lsp_completions(const channel& c,
                                                             const lsp_completion_params& p,
                                                             request_options ro) {
    return invoke<lsp_completion_list>(c, ops::lsp_completions, {}, json_body(p), ro);
}

asio::awaitable<result<std::vector<lsp_symbol>>> lsp_document_symbols(const channel& c,
                                                                      const lsp_document_request& r,
                                                                      request_options ro) {
    http::query_builder q;
    q.add("languageId", r.language_id).add("pathToProject", r.path_to_project).add("uri", r.uri);
    return invoke<std::vector<lsp_symbol>>(c, ops::lsp_document_symbols, {}, query(q.release()),
                                           ro);
}

asio::awaitable<result<std::vector<lsp_symbol>>> lsp_workspace_symbols(const channel& c,
                                                                       const lsp_server_request& r,
                                                                       std::string_view search,
                                                                       request_options ro) {
    http::query_builder q;
    q.add("query", search).add("languageId", r.language_id).add("pathToProject", r.path_to_project);
    return invoke<std::vector<lsp_symbol>>(c, ops::lsp_workspace_symbols, {}, query(q.release()),
                                           ro);
}

}  // namespace api
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_TOOLBOX_IMPL_LSP_IPP
