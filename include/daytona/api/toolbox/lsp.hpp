// SPDX-License-Identifier: Apache-2.0
// Toolbox operations of the language servers, one line each, on a sandbox's toolbox channel.
#ifndef DAYTONA_API_TOOLBOX_LSP_HPP
#define DAYTONA_API_TOOLBOX_LSP_HPP

#include "daytona/api/operation.hpp"
#include "daytona/api/operations.hpp"
#include "daytona/codec/lsp.hpp"
#include "daytona/config.hpp"
#include "daytona/http/url.hpp"
#include "daytona/models/lsp.hpp"

#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace api {

/// `POST /lsp/start`: starts (and initializes) the server of a language for a project.
DAYTONA_DECL asio::awaitable<result<void>> lsp_start(const channel& c, const lsp_server_request& r,
                                                     request_options ro = {});
DAYTONA_DECL asio::awaitable<result<void>> lsp_stop(const channel& c, const lsp_server_request& r,
                                                    request_options ro = {});
/// `POST /lsp/did-open`: the server reads the document from the sandbox.
DAYTONA_DECL asio::awaitable<result<void>> lsp_did_open(const channel& c,
                                                        const lsp_document_request& r,
                                                        request_options ro = {});
DAYTONA_DECL asio::awaitable<result<void>> lsp_did_close(const channel& c,
                                                         const lsp_document_request& r,
                                                         request_options ro = {});
DAYTONA_DECL asio::awaitable<result<lsp_completion_list>> lsp_completions(
    const channel& c, const lsp_completion_params& p, request_options ro = {});
/// `GET /lsp/document-symbols?languageId=&pathToProject=&uri=`.
DAYTONA_DECL asio::awaitable<result<std::vector<lsp_symbol>>> lsp_document_symbols(
    const channel& c, const lsp_document_request& r, request_options ro = {});
/// `GET /lsp/workspacesymbols?query=&languageId=&pathToProject=` (no dash in the path).
DAYTONA_DECL asio::awaitable<result<std::vector<lsp_symbol>>> lsp_workspace_symbols(
    const channel& c, const lsp_server_request& r, std::string_view search,
    request_options ro = {});

}  // namespace api
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/api/toolbox/impl/lsp.ipp"
#endif

#endif  // DAYTONA_API_TOOLBOX_LSP_HPP
