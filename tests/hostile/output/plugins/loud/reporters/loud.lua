-- fails with a message meant for the terminal and the CI log
return { report = function() error("\27]0;forged\7\n::stop-commands::tok \u{9B}2J \u{202E}drow") end }
