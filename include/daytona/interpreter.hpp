// SPDX-License-Identifier: Apache-2.0
// daytona::code_interpreter: a stateful Python interpreter in a sandbox. Code runs in a context
// whose variables, imports and functions stay for the next run; output streams back as it is
// written.
#ifndef DAYTONA_INTERPRETER_HPP
#define DAYTONA_INTERPRETER_HPP

#include "daytona/client_state.hpp"
#include "daytona/config.hpp"
#include "daytona/models/interpreter.hpp"
#include "daytona/models/process.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

/**
 * \brief The code interpreter of one sandbox (sandbox::code_interpreter()).
 * \details Each context is one interpreter process. Code sent without a context runs in the
 * default context, which exists from the first run on and is not listed. One execution runs at
 * a time per context; later ones wait their turn.
 * \par Copying
 * A cheap handle: copies share the client and the sandbox data.
 */
class code_interpreter {
public:
    /**
     * \brief Creates a context: a fresh interpreter started in `cwd`.
     * \param cwd the interpreter's working directory in the sandbox; empty: the sandbox user's
     * home.
     * \param language "python" (the only language the daemon runs; empty sends none).
     * \par Errors
     * condition::bad_request for an unknown language or a cwd that is not a directory.
     */
    [[nodiscard]] asio::awaitable<result<interpreter_context>> create_context(
        std::string cwd, std::string language) const {
        return create_impl(client_, sandbox_, std::move(cwd), std::move(language));
    }
    /// create_context() in the user's home, with the default language.
    [[nodiscard]] asio::awaitable<result<interpreter_context>> create_context() const {
        return create_impl(client_, sandbox_, std::string(), std::string());
    }
    /// The contexts created by clients (the default context is not listed).
    [[nodiscard]] asio::awaitable<result<std::vector<interpreter_context>>> list_contexts() const {
        return list_impl(client_, sandbox_);
    }
    /// Stops a context's interpreter; its state is gone. condition::not_found for an unknown id.
    [[nodiscard]] asio::awaitable<result<void>> delete_context(std::string id) const {
        return delete_impl(client_, sandbox_, std::move(id));
    }

    /**
     * \brief Runs `code` and answers what it printed and the exception it raised, if any.
     * \details stdout, stderr and the error reach `opts`' callbacks as the daemon sends them,
     * before this completes. An exception in the code is a result (execution_result::error),
     * not a failure.
     * \par Errors
     * condition::timeout when the code ran longer than `opts.timeout` (it is interrupted; the
     * context and its variables stay; the output until then went to the callbacks);
     * condition::not_found for an unknown context; errc::protocol_error for a stream that
     * breaks the protocol; transport and WebSocket errors.
     */
    [[nodiscard]] asio::awaitable<result<execution_result>> run_code(std::string code,
                                                                     run_code_options opts) const {
        return run_impl(client_, sandbox_, std::move(code), std::move(opts));
    }
    /// run_code() in the default context without callbacks.
    [[nodiscard]] asio::awaitable<result<execution_result>> run_code(std::string code) const {
        return run_impl(client_, sandbox_, std::move(code), run_code_options{});
    }

private:
    friend class sandbox;
    using state_ptr = std::shared_ptr<detail::client_state>;
    using data_ptr = std::shared_ptr<detail::sandbox_data>;

    /// How long past its own timeout an execution may take before the client gives up on the
    /// daemon's answer.
    static constexpr std::chrono::seconds grace{15};

    code_interpreter(state_ptr c, data_ptr s) : client_(std::move(c)), sandbox_(std::move(s)) {}

    static DAYTONA_DECL error fail(errc code, std::string message);

    static DAYTONA_DECL asio::awaitable<result<interpreter_context>> create_impl(
        state_ptr c, data_ptr s, std::string cwd, std::string language);

    static DAYTONA_DECL asio::awaitable<result<std::vector<interpreter_context>>> list_impl(
        state_ptr c, data_ptr s);

    static DAYTONA_DECL asio::awaitable<result<void>> delete_impl(state_ptr c, data_ptr s,
                                                                  std::string id);

    /// Reads the execution's messages until the daemon closes.
    static DAYTONA_DECL asio::awaitable<result<execution_result>> collect(
        std::shared_ptr<http::websocket::connection> ws, std::shared_ptr<run_code_options> o);

    static DAYTONA_DECL asio::awaitable<result<execution_result>> run_impl(state_ptr c, data_ptr s,
                                                                           std::string code,
                                                                           run_code_options opts);

    state_ptr client_;
    data_ptr sandbox_;
};

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/interpreter.ipp"
#endif

#endif  // DAYTONA_INTERPRETER_HPP
