-- evaluate returns a message longer than 4 KiB.
return { evaluate = function() return maal.pass{message = ("m"):rep(5000)} end }
