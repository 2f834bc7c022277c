// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of claude/events.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_CLAUDE_IMPL_EVENTS_IPP
#define DAYTONA_CLAUDE_IMPL_EVENTS_IPP

#include "daytona/claude/events.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace claude {

std::string assistant_event::text() const {
    std::string out;
    for (const auto& b : content)
        if (const auto* t = std::get_if<text_block>(&b)) out += t->text;
    return out;
}

std::vector<const tool_use_block*> assistant_event::tool_uses() const {
    std::vector<const tool_use_block*> out;
    for (const auto& b : content)
        if (const auto* t = std::get_if<tool_use_block>(&b)) out.push_back(t);
    return out;
}

std::vector<const tool_result_block*> user_event::tool_results() const {
    std::vector<const tool_result_block*> out;
    for (const auto& b : content)
        if (const auto* t = std::get_if<tool_result_block>(&b)) out.push_back(t);
    return out;
}

std::string_view event_type(const event& e) noexcept {
    switch (e.index()) {
        case 0:
            return "system";
        case 1:
            return "assistant";
        case 2:
            return "user";
        case 3:
            return "result";
        default:
            return std::get<unknown_event>(e).type;
    }
}

const std::string& raw_json(const event& e) noexcept {
    return std::visit([](const auto& x) -> const std::string& { return x.raw_json; }, e);
}

namespace detail {

void decode_text_or_raw(json::value& v, std::string& out, json::decoder& d) {
    std::string_view s;
    if (!v.get_string().get(s)) {
        out.assign(s);
        return;
    }
    decode_raw(v, out, d);
}

void decode_tool_result_content(json::value& v, std::string& out, json::decoder& d) {
    out.clear();
    if (take_null(v)) return;
    std::string_view s;
    if (!v.get_string().get(s)) {
        out.assign(s);
        return;
    }
    bool first = true;
    d.each_element(v, [&](json::value& part) {
        std::string type;
        std::string text;
        d.each_field(part, "object", [&](std::string_view key, json::value& val) {
            if (key == "type")
                member(d, key, val, type);
            else if (key == "text")
                member(d, key, val, text);
        });
        if (type != "text") return;
        if (!first) out += '\n';
        out += text;
        first = false;
    });
}

void decode_block(json::value& v, std::vector<content_block>& out, json::decoder& d) {
    json::ondemand::object obj;
    if (auto e = v.get_object().get(obj)) {
        d.fail(e, "object", &v);
        return;
    }
    // Members come in any order (tool_result puts tool_use_id first): find the type, rewind.
    std::string type;
    {
        std::string_view t;
        const auto e = obj.find_field_unordered("type").get_string().get(t);
        if (e == simdjson::INCORRECT_TYPE) {
            d.fail("type: expected string");
            return;
        }
        if (e && e != simdjson::NO_SUCH_FIELD) {
            d.fail(e, "object");
            return;
        }
        type.assign(t);
    }
    bool has_members = false;
    if (auto e = obj.reset().get(has_members)) {
        d.fail(e, "object");
        return;
    }
    if (type == "text") {
        text_block b;
        each_member(obj, d, [&](std::string_view key, json::value& val) {
            if (key == "text") member(d, key, val, b.text);
        });
        out.emplace_back(std::move(b));
    } else if (type == "thinking") {
        thinking_block b;
        each_member(obj, d, [&](std::string_view key, json::value& val) {
            if (key == "thinking") member(d, key, val, b.thinking);
        });
        out.emplace_back(std::move(b));
    } else if (type == "tool_use") {
        tool_use_block b;
        each_member(obj, d, [&](std::string_view key, json::value& val) {
            if (key == "id")
                member(d, key, val, b.id);
            else if (key == "name")
                member(d, key, val, b.name);
            else if (key == "input")
                raw_member(d, key, val, b.input);
        });
        out.emplace_back(std::move(b));
    } else if (type == "tool_result") {
        tool_result_block b;
        each_member(obj, d, [&](std::string_view key, json::value& val) {
            if (key == "tool_use_id") {
                member(d, key, val, b.tool_use_id);
            } else if (key == "is_error") {
                member(d, key, val, b.is_error);
            } else if (key == "content") {
                d.push(key);
                decode_tool_result_content(val, b.content, d);
                d.pop();
            }
        });
        out.emplace_back(std::move(b));
    } else {
        std::string_view raw;
        if (auto e = obj.raw_json().get(raw)) {
            d.fail(e, "object");
            return;
        }
        out.emplace_back(unknown_block{.type = std::move(type), .raw_json = std::string(raw)});
        auto& kept = std::get<unknown_block>(out.back()).raw_json;
        while (!kept.empty() && (kept.back() == ' ' || kept.back() == '\n' || kept.back() == '\r' ||
                                 kept.back() == '\t'))
            kept.pop_back();
    }
}

void decode_blocks(json::value& v, std::vector<content_block>& out, json::decoder& d) {
    out.clear();
    if (take_null(v)) return;
    std::string_view s;
    if (!v.get_string().get(s)) {
        out.emplace_back(text_block{std::string(s)});
        return;
    }
    d.each_element(v, [&](json::value& elem) { decode_block(elem, out, d); });
}

void decode_value(json::value& v, message_fields& out, json::decoder& d) {
    if (take_null(v)) return;
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        if (key == "id") {
            member(d, key, val, out.id);
        } else if (key == "model") {
            member(d, key, val, out.model);
        } else if (key == "content") {
            d.push(key);
            decode_blocks(val, out.content, d);
            d.pop();
        } else if (key == "stop_reason") {
            member(d, key, val, out.stop_reason);
        } else if (key == "usage") {
            d.field(key, val, out.usage);
        }
    });
}

}  // namespace detail

void decode_value(json::value& v, mcp_server_info& out, json::decoder& d) {
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        if (key == "name")
            detail::member(d, key, val, out.name);
        else if (key == "status")
            detail::member(d, key, val, out.status);
    });
}

void decode_value(json::value& v, system_event& out, json::decoder& d) {
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        using detail::member;
        if (key == "subtype") {
            member(d, key, val, out.subtype);
        } else if (key == "session_id") {
            member(d, key, val, out.session_id);
        } else if (key == "uuid") {
            member(d, key, val, out.uuid);
        } else if (key == "cwd") {
            member(d, key, val, out.cwd);
        } else if (key == "model") {
            member(d, key, val, out.model);
        } else if (key == "tools") {
            d.field(key, val, out.tools);
        } else if (key == "mcp_servers") {
            d.field(key, val, out.mcp_servers);
        } else if (key == "permissionMode") {
            member(d, key, val, out.permission_mode);
        } else if (key == "apiKeySource") {
            member(d, key, val, out.api_key_source);
        } else if (key == "claude_code_version") {
            member(d, key, val, out.claude_code_version);
        } else if (key == "attempt") {
            member(d, key, val, out.attempt);
        } else if (key == "max_retries") {
            member(d, key, val, out.max_retries);
        } else if (key == "retry_delay_ms") {
            member(d, key, val, out.retry_delay_ms);
        } else if (key == "error_status") {
            member(d, key, val, out.error_status);
        } else if (key == "error") {
            d.push(key);
            detail::decode_text_or_raw(val, out.error, d);
            d.pop();
        }
    });
}

void decode_value(json::value& v, assistant_event& out, json::decoder& d) {
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        if (key == "message") {
            detail::message_fields m;
            d.field(key, val, m);
            out.message_id = std::move(m.id);
            out.model = std::move(m.model);
            out.content = std::move(m.content);
            out.stop_reason = std::move(m.stop_reason);
            out.usage = std::move(m.usage);
        } else if (key == "parent_tool_use_id") {
            detail::member(d, key, val, out.parent_tool_use_id);
        } else if (key == "session_id") {
            detail::member(d, key, val, out.session_id);
        } else if (key == "uuid") {
            detail::member(d, key, val, out.uuid);
        } else if (key == "error") {
            d.push(key);
            detail::decode_text_or_raw(val, out.error, d);
            d.pop();
        }
    });
}

void decode_value(json::value& v, user_event& out, json::decoder& d) {
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        if (key == "message") {
            detail::message_fields m;
            d.field(key, val, m);
            out.content = std::move(m.content);
        } else if (key == "parent_tool_use_id") {
            detail::member(d, key, val, out.parent_tool_use_id);
        } else if (key == "session_id") {
            detail::member(d, key, val, out.session_id);
        } else if (key == "uuid") {
            detail::member(d, key, val, out.uuid);
        }
    });
}

result<event> parse_event(std::string_view line) {
    const auto trimmed = detail::trim_line(line);
    if (trimmed.empty())
        return detail::make_error(errc::json_parse_error, "event: blank line",
                                  detail::parse_event_op, line);
    detail::typed_document doc(trimmed, "event");
    if (!doc.ok()) return detail::annotate(doc.error(), detail::parse_event_op, line);
    const std::string& type = doc.type();
    if (type == "system") return detail::decode_event<system_event>(doc, trimmed);
    if (type == "assistant") return detail::decode_event<assistant_event>(doc, trimmed);
    if (type == "user") return detail::decode_event<user_event>(doc, trimmed);
    if (type == "result") return detail::decode_event<result_event>(doc, trimmed);
    unknown_event u;
    if (auto e = doc.validate({{"subtype", &u.subtype}, {"session_id", &u.session_id}}))
        return detail::annotate(*e, detail::parse_event_op, line);
    u.type = type;
    u.raw_json.assign(trimmed);
    return event(std::in_place_type<unknown_event>, std::move(u));
}

void line_splitter::feed(std::string_view chunk) {
    if (discarding_) {
        const auto nl = chunk.find('\n');
        if (nl == std::string_view::npos) return;
        chunk.remove_prefix(nl + 1);
        discarding_ = false;
    }
    if (pos_ > 0 && pos_ >= buf_.size() / 2) {
        buf_.erase(0, pos_);
        scan_ -= pos_;
        pos_ = 0;
    }
    buf_.append(chunk);
}

result<std::optional<std::string>> line_splitter::next() {
    const auto nl = buf_.find('\n', scan_);
    if (nl == std::string::npos) {
        scan_ = buf_.size();
        const std::size_t pending = buf_.size() - pos_;
        if (pending > max_) {
            clear();
            discarding_ = !finished_;
            return too_long();
        }
        if (!finished_ || pending == 0) return std::optional<std::string>{};
        std::string last = buf_.substr(pos_);
        clear();
        if (!last.empty() && last.back() == '\r') last.pop_back();
        return std::optional<std::string>(std::move(last));
    }
    const std::size_t begin = pos_;
    pos_ = nl + 1;
    scan_ = pos_;
    std::size_t end = nl;
    if (end > begin && buf_[end - 1] == '\r') --end;
    if (end - begin > max_) return too_long();
    return std::optional<std::string>(buf_.substr(begin, end - begin));
}

daytona::error line_splitter::too_long() const {
    return daytona::error(make_error_code(errc::body_too_large),
                          error_info{.message = "a line of output is longer than " +
                                                std::to_string(max_) + " bytes; skipped",
                                     .operation = "claude::line_splitter"});
}

result<std::optional<event>> event_parser::next() {
    for (;;) {
        auto line = lines_.next();
        if (!line) return std::move(line).error();
        if (!*line) return std::optional<event>{};
        if (detail::trim_line(**line).empty()) continue;
        auto ev = parse_event(**line);
        if (!ev) return std::move(ev).error();
        return std::optional<event>(std::move(*ev));
    }
}

}  // namespace claude
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_CLAUDE_IMPL_EVENTS_IPP
