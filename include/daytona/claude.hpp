// SPDX-License-Identifier: Apache-2.0
// Claude Code CLI helper: options, the safe pipe command, result parsing and stream-json events.
#ifndef DAYTONA_CLAUDE_HPP
#define DAYTONA_CLAUDE_HPP

#include "daytona/claude/command.hpp"
#include "daytona/claude/events.hpp"
#include "daytona/claude/options.hpp"
#include "daytona/claude/result.hpp"
#include "daytona/claude/run.hpp"

#endif  // DAYTONA_CLAUDE_HPP
