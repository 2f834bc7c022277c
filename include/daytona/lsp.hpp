// SPDX-License-Identifier: Apache-2.0
// daytona::lsp_server: a language server (LSP) run by the sandbox's daemon for one language and
// project: open documents, ask for completions and symbols.
#ifndef DAYTONA_LSP_HPP
#define DAYTONA_LSP_HPP

#include "daytona/client_state.hpp"
#include "daytona/config.hpp"
#include "daytona/models/lsp.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

/**
 * \brief The language server of one language and project in a sandbox
 * (sandbox::lsp_server()).
 * \details start() it first; documents are named by their path in the sandbox (absolute, or
 * relative to the project), sent as `file://` URIs.
 * \par Errors
 * Every call: errc::invalid_argument for a language other than python, typescript and
 * javascript (nothing is sent); condition::bad_request for a path outside the sandbox or a
 * server that was not started; condition::not_found for a document that does not exist; HTTP
 * and transport errors.
 * \par Copying
 * A cheap handle: copies share the client and the sandbox data.
 */
class lsp_server {
public:
    /// The server's language: "python", "typescript" or "javascript".
    const std::string& language_id() const noexcept { return server_.language_id; }
    /// The project's root directory in the sandbox.
    const std::string& path_to_project() const noexcept { return server_.path_to_project; }

    /// Starts the server (a no-op when it runs already).
    [[nodiscard]] asio::awaitable<result<void>> start() const {
        return server_call(client_, sandbox_, server_, "lsp_start", &start_op);
    }
    /// Stops the server.
    [[nodiscard]] asio::awaitable<result<void>> stop() const {
        return server_call(client_, sandbox_, server_, "lsp_stop", &stop_op);
    }
    /// Tells the server a document is open (it reads the file from the sandbox).
    [[nodiscard]] asio::awaitable<result<void>> did_open(std::string path) const {
        return document_call(client_, sandbox_, server_, std::move(path), "lsp_did_open",
                             &did_open_op);
    }
    /// Tells the server a document is closed.
    [[nodiscard]] asio::awaitable<result<void>> did_close(std::string path) const {
        return document_call(client_, sandbox_, server_, std::move(path), "lsp_did_close",
                             &did_close_op);
    }
    /// Completions at `at` (zero-based line and character) in an open document.
    [[nodiscard]] asio::awaitable<result<lsp_completion_list>> completions(std::string path,
                                                                           lsp_position at) const {
        return completions_impl(client_, sandbox_, server_, std::move(path), at);
    }
    /// The symbols (classes, functions, variables...) of an open document.
    [[nodiscard]] asio::awaitable<result<std::vector<lsp_symbol>>> document_symbols(
        std::string path) const {
        return document_call(client_, sandbox_, server_, std::move(path), "lsp_document_symbols",
                             &document_symbols_op);
    }
    /// The symbols of the whole project whose names match `query`.
    [[nodiscard]] asio::awaitable<result<std::vector<lsp_symbol>>> workspace_symbols(
        std::string query) const {
        return workspace_impl(client_, sandbox_, server_, std::move(query));
    }

    /// `file://` URI of `path` (absolute, or relative to the project), as the server sees it.
    DAYTONA_DECL std::string uri_of(std::string_view path) const;

private:
    friend class sandbox;
    using state_ptr = std::shared_ptr<detail::client_state>;
    using data_ptr = std::shared_ptr<detail::sandbox_data>;

    lsp_server(state_ptr c, data_ptr s, std::string language, std::string project)
        : client_(std::move(c))
        , sandbox_(std::move(s))
        , server_{std::move(language), std::move(project)} {}

    static DAYTONA_DECL std::optional<error> check(const lsp_server_request& r,
                                                   std::string_view operation);

    static DAYTONA_DECL asio::awaitable<result<void>> start_op(api::channel ch,
                                                               lsp_server_request r);
    static DAYTONA_DECL asio::awaitable<result<void>> stop_op(api::channel ch,
                                                              lsp_server_request r);
    static DAYTONA_DECL asio::awaitable<result<void>> did_open_op(api::channel ch,
                                                                  lsp_document_request r);
    static DAYTONA_DECL asio::awaitable<result<void>> did_close_op(api::channel ch,
                                                                   lsp_document_request r);
    static DAYTONA_DECL asio::awaitable<result<std::vector<lsp_symbol>>> document_symbols_op(
        api::channel ch, lsp_document_request r);

    static DAYTONA_DECL asio::awaitable<result<void>> server_call(
        state_ptr c, data_ptr s, lsp_server_request r, const char* operation,
        asio::awaitable<result<void>> (*op)(api::channel, lsp_server_request));

    template <class T>
    static asio::awaitable<result<T>> document_call(
        state_ptr c, data_ptr s, lsp_server_request r, std::string path, const char* operation,
        asio::awaitable<result<T>> (*op)(api::channel, lsp_document_request)) {
        if (auto e = check(r, operation)) co_return std::move(*e);
        auto ch = co_await detail::toolbox_channel(c, s, {});
        if (!ch) co_return std::move(ch).error();
        lsp_server self(c, s, r.language_id, r.path_to_project);
        lsp_document_request doc{.language_id = std::move(r.language_id),
                                 .path_to_project = std::move(r.path_to_project),
                                 .uri = self.uri_of(path)};
        co_return co_await op(std::move(*ch), std::move(doc));
    }

    static DAYTONA_DECL asio::awaitable<result<lsp_completion_list>> completions_impl(
        state_ptr c, data_ptr s, lsp_server_request r, std::string path, lsp_position at);

    static DAYTONA_DECL asio::awaitable<result<std::vector<lsp_symbol>>> workspace_impl(
        state_ptr c, data_ptr s, lsp_server_request r, std::string query);

    state_ptr client_;
    data_ptr sandbox_;
    lsp_server_request server_;
};

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/lsp.ipp"
#endif

#endif  // DAYTONA_LSP_HPP
