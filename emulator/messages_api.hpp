// SPDX-License-Identifier: Apache-2.0
// A loopback stand-in for Anthropic's Messages API, for running the real Claude Code CLI
// offline: only the model is a double, and its answers are scripted by the conversation.
//
// What it serves (what the CLI calls, learnt by logging its requests):
//   HEAD /                          the CLI's reachability probe: 200
//   POST /v1/messages[?beta=true]   a message, as JSON or, with "stream": true, as server-sent
//                                   events (message_start, content_block_start/delta/stop,
//                                   message_delta, message_stop), written chunk by chunk
//   POST /v1/messages/count_tokens  {"input_tokens": n}
//   GET  /v1/models                 one model
// Anything else is a 404 in the API's error shape. With an api_key set, a request whose
// x-api-key (or Bearer token) differs is a 401 authentication_error.
//
// The scripted model answers the last user message:
// - a tool result:           text "Tool result: <the tool's output>" (or "Tool error: ..."),
//                            so a test sees what the tool really did in the sandbox;
// - a prompt with `[[bash: CMD]]`: a Bash tool_use with {"command": CMD} that the CLI runs;
// - a prompt with `[[error: overloaded]]` (529 overloaded_error), `[[error: 500]]` (500
//   api_error) or `[[error: 401]]` (authentication_error): that HTTP error, with
//   `x-should-retry: false`, so the CLI reports it at once;
// - a title request (structured output, no tools): {"title": "Scripted session"};
// - any other prompt:        text "[turn N] <prompt>", N counting the user prompts of the
//                            conversation (so a resumed conversation answers turn 2).
// The prompt is the text of the last user message without the CLI's <system-reminder> blocks.
// Every request is recorded (method, target, headers, body) for tests to inspect.
#ifndef DAYTONA_EMULATOR_MESSAGES_API_HPP
#define DAYTONA_EMULATOR_MESSAGES_API_HPP

#include <daytona/http/fields.hpp>
#include <daytona/result.hpp>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace daytona::emulator {

class http_server;

struct messages_api_options {
    /// Address to listen on. Default loopback only.
    std::string bind_address = "127.0.0.1";
    /// 0 picks a free port.
    std::uint16_t port = 0;
    /// The only key accepted (x-api-key or Bearer). Empty: any key, or none.
    std::string api_key{};
    /// How many requests are kept for requests() (the oldest go first).
    std::size_t max_recorded = 512;
    /// Log one line per request to stderr.
    bool verbose = false;
};

/// A request as the stand-in received it.
struct recorded_request {
    std::string method;
    std::string target;
    http::fields headers;
    std::string body;
};

class messages_api {
public:
    explicit messages_api(messages_api_options opts = {});
    ~messages_api();
    messages_api(const messages_api&) = delete;
    messages_api& operator=(const messages_api&) = delete;

    /// Binds and serves on a background thread.
    result<void> start();
    void stop();
    std::uint16_t port() const noexcept;
    /// "http://127.0.0.1:PORT": what ANTHROPIC_BASE_URL should be.
    std::string base_url() const;

    /// The requests received so far, oldest first.
    std::vector<recorded_request> requests() const;
    /// The bodies of the POST /v1/messages requests received so far.
    std::vector<std::string> message_bodies() const;
    void clear();

    struct state;

private:
    messages_api_options opts_;
    std::shared_ptr<state> state_;
    std::unique_ptr<http_server> server_;
};

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_MESSAGES_API_HPP
