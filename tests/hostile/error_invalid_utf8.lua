-- error() with bytes that are not UTF-8: the report must still carry the message.
return { evaluate = function() error("boom \255\254 \192") end }
